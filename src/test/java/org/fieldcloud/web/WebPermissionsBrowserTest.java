package org.fieldcloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A project reader and an organization member see no Secrets tab and no management buttons, and their own
 * session's CSRF token does not get them past the policy module: direct posts to the management URLs are 403 and
 * change nothing.
 */
class WebPermissionsBrowserTest extends ApiTest {

    private Browser browser;
    private TestData.User owner;
    private TestData.User reader;
    private TestData.User member;
    private TestData.Org org;
    private TestData.Project project;
    private long projectSecret;
    private long orgSecret;

    @BeforeEach
    void world() {
        browser = new Browser("http://localhost:" + port);
        owner = data.person("perm_owner");
        reader = data.person("perm_reader");
        member = data.person("perm_member");
        org = data.organization(owner);
        data.member(org, member, "member");
        data.member(org, reader, "member");
        project = data.project(org);
        data.collaborator(project, reader, "reader");
        projectSecret = secret("/api/v1/projects/" + project.id() + "/secrets/");
        orgSecret = secret("/api/v1/organizations/" + org.username() + "/secrets/");
    }

    @AfterEach
    void stop() {
        browser.close();
    }

    private long secret(String path) {
        Http.Response r = http.as(owner).post(path, Map.of("type", "envvar", "name", "PERM_SECRET", "value", "perm-" + UUID.randomUUID()));
        assertThat(r.status()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    @Test
    void aReaderSeesNoManagementAndIsRefusedAtTheServer() throws java.io.IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(20, 10, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", png);
        assertThat(new Multipart().file("thumbnail", "t.png", png.toByteArray())
                .post(http.as(owner), "/api/v1/projects/" + project.id() + "/thumbnail/").status()).isEqualTo(204);
        browser.signIn(reader.username(), TestData.PASSWORD);
        browser.open("/projects/" + project.id() + "/files");
        assertThat((Long) browser.driver.executeScript("return arguments[0].naturalWidth", browser.find("img.thumb")))
                .as("the project's thumbnail is shown").isEqualTo(20L);
        String tabs = browser.find("nav.tabs").getText();
        assertThat(tabs).contains("Files", "Jobs", "Package").doesNotContain("Secrets", "Collaborators", "Settings", "Changes");
        assertThat(browser.present("#upload-form")).isFalse();
        assertThat(browser.driver.findElements(By.xpath("//summary[normalize-space(.)='Delete…']"))).isEmpty();
        browser.open("/projects/" + project.id() + "/jobs");
        assertThat(browser.text()).contains("package jobs, without their logs");
        browser.open("/projects/" + project.id() + "/secrets");
        assertThat(browser.text()).contains("Not allowed").contains("may not manage this project's secrets");

        WebSession web = new WebSession("http://localhost:" + port);
        web.signIn(reader.username(), TestData.PASSWORD);
        String page = "/projects/" + project.id() + "/files";
        String base = "/projects/" + project.id();
        assertRefused(web, base + "/secrets", Map.of("type", "envvar", "name", "READER_SECRET", "value", "x-value"), page);
        assertRefused(web, base + "/secrets/" + projectSecret + "/delete", Map.of(), page);
        assertRefused(web, base + "/collaborators", Map.of("collaborator", member.username(), "role", "admin"), page);
        assertRefused(web, base + "/settings", Map.of("isPublic", "true"), page);
        assertRefused(web, base + "/delete", Map.of("confirm", project.name()), page);

        assertThat(count("SELECT count(*) FROM secrets WHERE project_id = :k", project.id())).isOne();
        assertThat(count("SELECT count(*) FROM secrets WHERE id = :k", projectSecret)).isOne();
        assertThat(count("SELECT count(*) FROM project_collaborators WHERE project_id = :k", project.id())).isOne();
        assertThat(count("SELECT count(*) FROM projects WHERE id = :k AND NOT is_public", project.id())).isOne();
    }

    @Test
    void anOrganizationMemberSeesNoManagementAndIsRefusedAtTheServer() {
        browser.signIn(member.username(), TestData.PASSWORD);
        browser.open("/organizations/" + org.username());
        assertThat(browser.find("nav.tabs").getText()).contains("Members", "Teams").doesNotContain("Secrets", "Settings");
        assertThat(browser.text()).doesNotContain("Add a member");
        assertThat(browser.driver.findElements(By.xpath("//button[normalize-space(.)='Remove']"))).isEmpty();
        browser.open("/organizations/" + org.username() + "/secrets");
        assertThat(browser.text()).contains("Not allowed").contains("manage this organization's secrets");

        WebSession web = new WebSession("http://localhost:" + port);
        web.signIn(member.username(), TestData.PASSWORD);
        String page = "/organizations/" + org.username();
        String base = "/organizations/" + org.username();
        assertRefused(web, base + "/secrets", Map.of("type", "envvar", "name", "MEMBER_SECRET", "value", "x-value"), page);
        assertRefused(web, base + "/secrets/" + orgSecret + "/delete", Map.of(), page);
        assertRefused(web, base + "/members", Map.of("name", owner.username(), "role", "admin"), page);
        assertRefused(web, base + "/members/remove", Map.of("member", reader.username()), page);
        assertRefused(web, base + "/members/role", Map.of("member", member.username(), "role", "admin"), page);
        assertRefused(web, base + "/delete", Map.of("confirm", org.username()), page);

        assertThat(count("SELECT count(*) FROM secrets WHERE organization_id = :k", org.id())).isOne();
        assertThat(count("SELECT count(*) FROM organization_members WHERE organization_id = :k", org.id())).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM organization_members WHERE organization_id = :k AND role = 'admin'", org.id())).isZero();
        assertThat(count("SELECT count(*) FROM users WHERE id = :k", org.id())).isOne();
    }

    private static void assertRefused(WebSession web, String path, Map<String, String> fields, String tokenPage) {
        WebSession.Page answer = web.post(path, fields, tokenPage);
        assertThat(answer.status()).as("POST " + path).isEqualTo(403);
    }

    private long count(String sql, Object key) {
        return data.jdbc().sql(sql).param("k", key).query(Long.class).single();
    }
}
