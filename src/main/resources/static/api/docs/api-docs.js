// Renders the OpenAPI paths grouped by tag; kept dependency-free so the page works offline.
fetch('/api/openapi.json').then(r => r.json()).then(spec => {
  const byTag = {};
  for (const [path, ops] of Object.entries(spec.paths || {})) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags && op.tags[0]) || 'other';
      (byTag[tag] = byTag[tag] || []).push({ method: method.toUpperCase(), path });
    }
  }
  const root = document.getElementById('endpoints');
  root.textContent = '';
  for (const tag of Object.keys(byTag).sort()) {
    const h = document.createElement('h2');
    h.textContent = tag;
    root.appendChild(h);
    for (const op of byTag[tag].sort((a, b) => a.path.localeCompare(b.path))) {
      const div = document.createElement('div');
      div.className = 'op';
      const m = document.createElement('span');
      m.className = 'method';
      m.textContent = op.method;
      div.appendChild(m);
      div.appendChild(document.createTextNode(op.path + '/'));
      root.appendChild(div);
    }
  }
});
