package org.fieldcloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.secrets.ResolvedSecret;
import org.fieldcloud.secrets.SecretResolution;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The seeds' Secrets tab in a real browser: a person signs in, creates an organization and a project, uploads a
 * .qgs, adds an organization pg_service secret with the simple editor, a project secret through the advanced
 * editor and a person-assigned QFC_PG_EFFECTIVE_USER; the precedence view agrees with the resolution jobs use;
 * deleting asks first and removes exactly one; no page ever contains a value. Writes the screenshots.
 */
class WebSecretsBrowserTest extends ApiTest {

    @Autowired
    SecretResolution resolution;

    private Browser browser;
    private final List<String> sources = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    @BeforeEach
    void start() {
        browser = new Browser("http://localhost:" + port);
    }

    @AfterEach
    void stop() {
        browser.close();
    }

    @Test
    void aPersonManagesSecretsThroughThePages() throws Exception {
        TestData.User owner = data.person("web_owner");
        TestData.User surveyor = data.person("web_surveyor");
        String orgPassword = "org-pw-" + UUID.randomUUID();
        String projectPassword = "project-pw-" + UUID.randomUUID();
        String effectiveUser = "role_" + UUID.randomUUID().toString().substring(0, 8);
        String rejected = "rejected-" + UUID.randomUUID();
        values.addAll(List.of(orgPassword, projectPassword, effectiveUser, rejected));

        browser.open("/");
        browser.screenshots("sign-in");
        browser.signIn(owner.username(), TestData.PASSWORD);

        String org = createOrganization(surveyor);
        UUID project = createProject(org);
        uploadProjectFile(project);
        addCollaborator(project, surveyor);
        addOrganizationSecret(org, orgPassword);
        addProjectSecretInAdvancedEditor(project, surveyor, projectPassword);
        addEffectiveUser(project, surveyor, effectiveUser, rejected);

        assertPrecedence(project, owner, Map.of("PG_SERVICE_NINJA", "organization"));
        assertPrecedence(project, surveyor, Map.of("PG_SERVICE_NINJA", "project, assigned to " + surveyor.username(),
                "QFC_PG_EFFECTIVE_USER", "project, assigned to " + surveyor.username()));
        assertResolutionAgrees(project, owner, Map.of("PG_SERVICE_NINJA", ResolvedSecret.ORGANIZATION));
        assertResolutionAgrees(project, surveyor, Map.of("PG_SERVICE_NINJA", ResolvedSecret.PROJECT_USER,
                "QFC_PG_EFFECTIVE_USER", ResolvedSecret.PROJECT_USER));

        deleteOneSecret(project, org);
        auditShowsJobUse(project);

        for (String source : sources) {
            for (String value : values) {
                assertThat(source.contains(value)).as("a page's source contains a secret value").isFalse();
            }
        }
    }

    private String createOrganization(TestData.User surveyor) {
        String org = TestData.unique("weborg");
        browser.open("/organizations");
        browser.type("#name", org);
        browser.press("Create organization");
        browser.until(ExpectedConditions.urlContains("/organizations/" + org));
        browser.type("#name", surveyor.username());
        new Select(browser.find("#role")).selectByValue("member");
        browser.press("Add member");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("members"), surveyor.username()));
        keep();
        browser.screenshots("organization-members");
        return org;
    }

    private UUID createProject(String org) {
        browser.open("/projects/new");
        browser.type("#name", TestData.unique("webproject"));
        new Select(browser.find("#owner")).selectByValue(org);
        browser.press("Create project");
        browser.until(ExpectedConditions.urlMatches("/projects/[0-9a-f-]{36}/files$"));
        String url = browser.driver.getCurrentUrl();
        return UUID.fromString(url.substring(url.indexOf("/projects/") + 10, url.indexOf("/files")));
    }

    /** The status line's texts are kept in sessionStorage, which survives the reload that follows the upload. */
    private void uploadProjectFile(UUID project) {
        browser.driver.executeScript("""
                const s = document.getElementById('upload-status');
                new MutationObserver(() => sessionStorage.setItem('statuses', (sessionStorage.getItem('statuses') || '') + '|' + s.textContent))
                  .observe(s, {childList: true, characterData: true, subtree: true});""");
        Path qgs = Path.of("src/test/resources/files/self_contained.qgs").toAbsolutePath();
        browser.find("#upload-file").sendKeys(qgs.toString());
        browser.press("Upload");
        try {
            browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("files"), "self_contained.qgs"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the upload did not finish; the page said: " + browser.find("#upload-status").getText(), e);
        }
        String statuses = (String) browser.driver.executeScript("return sessionStorage.getItem('statuses')");
        assertThat(statuses).contains("%").contains("Uploaded self_contained.qgs");
        keep();
        browser.screenshots("project-files");

        browser.open("/projects/" + project + "/jobs");
        browser.until(d -> {
            d.navigate().refresh();
            return !d.findElements(By.cssSelector(".job details summary")).isEmpty();
        });
        browser.find(".job details summary").click();
        assertThat(browser.find("pre.log").getText()).isNotBlank();
        keep();
        browser.screenshots("project-jobs");
    }

    private void addCollaborator(UUID project, TestData.User surveyor) {
        browser.open("/projects/" + project + "/collaborators");
        browser.type("#collaborator", surveyor.username());
        new Select(browser.find("#role")).selectByValue("editor");
        browser.press("Add collaborator");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table.list"), surveyor.username()));
        keep();
        browser.screenshots("project-collaborators");
    }

    private void addOrganizationSecret(String org, String password) {
        browser.open("/organizations/" + org + "/secrets");
        browser.press("pg_service");
        browser.type("#service", "ninja");
        browser.type("#dbname", "gis");
        browser.type("#user", "pg_org");
        browser.type("#host", "db.example.org");
        browser.type("#port", "5432");
        new Select(browser.find("#sslmode")).selectByValue("require");
        browser.press("Add extra pgservice field");
        browser.type("#extra-key-0", "connect_timeout");
        browser.type("#extra-value-0", "10");
        browser.screenshots("secrets-simple-editor");
        browser.type("#password", password);
        browser.press("Add secret");
        WebElement row = browser.find("#secret-list tr[data-secret='PG_SERVICE_NINJA']");
        assertThat(row.getText()).contains("pg_service").contains("everyone");
        keep();
    }

    private void addProjectSecretInAdvancedEditor(UUID project, TestData.User surveyor, String password) {
        browser.open("/projects/" + project + "/secrets?new=pgservice");
        browser.type("#service", "ninja");
        browser.type("#user", "pg_user");
        browser.press("Add extra pgservice field");
        browser.type("#extra-key-0", "application_name");
        browser.type("#extra-value-0", "fieldcloud");
        browser.press("Advanced editor");
        assertThat(browser.find("#text").getDomProperty("value")).contains("[ninja]").contains("user=pg_user")
                .contains("application_name=fieldcloud");
        browser.press("Simple editor");
        assertThat(browser.find("#user").getDomProperty("value")).isEqualTo("pg_user");
        assertThat(browser.find("#extra-key-0").getDomProperty("value")).isEqualTo("application_name");
        browser.press("Advanced editor");
        browser.type("#text", "[ninja]\nhost=db.example.org\nport=5432\ndbname=gis\nuser=pg_user\n");
        browser.type("#assignedTo", surveyor.username());
        browser.screenshots("secrets-advanced-editor");
        browser.find("#text").sendKeys("password=" + password + "\n");
        browser.press("Add secret");
        WebElement row = browser.find("#secret-list tr[data-secret='PG_SERVICE_NINJA']");
        assertThat(row.getText()).contains(surveyor.username());
        keep();
    }

    private void addEffectiveUser(UUID project, TestData.User surveyor, String role, String rejected) {
        browser.open("/projects/" + project + "/secrets?new=envvar");
        browser.type("#name", "qfc effective");
        assertThat((Boolean) browser.driver.executeScript("return arguments[0].validity.patternMismatch", browser.find("#name")))
                .as("the name is checked as it is typed").isTrue();
        // The server checks again: without the page's pattern, a lower-case name comes back as an error on the field.
        browser.driver.executeScript("arguments[0].removeAttribute('pattern')", browser.find("#name"));
        browser.type("#value", rejected);
        browser.press("Add secret");
        assertThat(browser.find("#name ~ p.error").getText()).contains("capital letters");
        assertThat(browser.find("#value").getDomProperty("value").isEmpty()).as("the value field is empty after a failed validation").isTrue();
        keep();

        browser.type("#name", "QFC_PG_EFFECTIVE_USER");
        assertThat((Boolean) browser.driver.executeScript("return arguments[0].validity.valid", browser.find("#name"))).isTrue();
        browser.type("#value", role);
        browser.type("#assignedTo", surveyor.username());
        browser.press("Add secret");
        WebElement row = browser.find("#secret-list tr[data-secret='QFC_PG_EFFECTIVE_USER']");
        assertThat(row.getText()).contains("environment variable").contains(surveyor.username());
        keep();
    }

    private void assertPrecedence(UUID project, TestData.User person, Map<String, String> expected) {
        browser.open("/projects/" + project + "/secrets?person=" + person.username());
        Map<String, String> shown = new LinkedHashMap<>();
        for (WebElement row : browser.driver.findElements(By.cssSelector("#winners tbody tr"))) {
            shown.put(row.getDomAttribute("data-winner"), row.findElement(By.cssSelector(".level")).getText());
        }
        assertThat(shown).as("precedence shown for " + person.username()).isEqualTo(expected);
        keep();
    }

    /** Names and levels only: the resolved values are never looked at here. */
    private void assertResolutionAgrees(UUID project, TestData.User person, Map<String, String> expected) {
        Map<String, String> levels = new LinkedHashMap<>();
        resolution.resolve(person.id(), project).forEach(r -> levels.put(r.name(), r.level()));
        assertThat(levels).isEqualTo(expected);
    }

    private void deleteOneSecret(UUID project, String org) {
        long projectSecrets = count("SELECT count(*) FROM secrets WHERE project_id = :k", project);
        long orgSecrets = count("SELECT count(*) FROM secrets s JOIN users u ON u.id = s.organization_id WHERE u.username = :k", org);
        browser.open("/projects/" + project + "/secrets");
        WebElement row = browser.find("#secret-list tr[data-secret='QFC_PG_EFFECTIVE_USER']");
        row.findElement(By.cssSelector("summary")).click();
        assertThat(row.findElement(By.cssSelector("details p")).getText()).contains("cannot be undone");
        row.findElement(By.cssSelector("button.confirm-delete")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "deleted"));
        assertThat(count("SELECT count(*) FROM secrets WHERE project_id = :k", project)).isEqualTo(projectSecrets - 1);
        assertThat(count("SELECT count(*) FROM secrets WHERE project_id = :k AND name = 'QFC_PG_EFFECTIVE_USER'", project)).isZero();
        assertThat(count("SELECT count(*) FROM secrets s JOIN users u ON u.id = s.organization_id WHERE u.username = :k", org))
                .isEqualTo(orgSecrets);
        assertThat(browser.present("#secret-list tr[data-secret='QFC_PG_EFFECTIVE_USER']")).isFalse();
        keep();
    }

    private void auditShowsJobUse(UUID project) throws InterruptedException {
        browser.open("/projects/" + project + "/package");
        browser.press("Package now");
        awaitPackageJobEnded(project);
        browser.open("/projects/" + project + "/secrets");
        assertThat(browser.find("#audit").getText()).contains("used by job");
        assertThat(browser.find("#audit").getText()).contains("create").contains("delete");
        keep();
    }

    /**
     * The job waits behind whatever the suite queued before (the queue is shared by every test of this JVM), so it is
     * awaited in the database, with a bound far above its own run time.
     */
    private void awaitPackageJobEnded(UUID project) throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(180);
        String status = null;
        while (java.time.Instant.now().isBefore(deadline)) {
            status = data.jdbc().sql("SELECT status FROM jobs WHERE project_id = :p AND type = 'package' ORDER BY created_at DESC LIMIT 1")
                    .param("p", project).query(String.class).optional().orElse(null);
            if ("finished".equals(status) || "failed".equals(status)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the package job did not end within 180 s (last status " + status + ")");
    }

    private long count(String sql, Object key) {
        return data.jdbc().sql(sql).param("k", key).query(Long.class).single();
    }

    private void keep() {
        sources.add(browser.source());
    }
}
