"""Opens a packaged QGIS project as QField would and prints one JSON line per layer:
id, valid, provider, source, feature count (-1 for non-vector layers), custom properties QField reads."""
import json
import sys

from qgis.core import QgsApplication, QgsProject, QgsMapLayerType

app = QgsApplication([], False)
app.initQgis()
project = QgsProject.instance()
if not project.read(sys.argv[1]):
    print(json.dumps({"error": project.error()}))
    sys.exit(2)
for layer_id, layer in project.mapLayers().items():
    vector = layer.type() == QgsMapLayerType.VectorLayer
    print(json.dumps({
        "id": layer_id,
        "valid": layer.isValid(),
        "provider": layer.providerType(),
        "source": layer.source(),
        "count": layer.featureCount() if vector and layer.isValid() else -1,
        "remoteLayerId": layer.customProperty("QFieldSync/remoteLayerId"),
        "isOfflineEditable": layer.customProperty("isOfflineEditable"),
        "readOnly": layer.readOnly(),
    }))
print(json.dumps({"offlineDbPath": project.readEntry("OfflineEditingPlugin", "/OfflineDbPath")[0]}))
app.exitQgis()
