package org.fieldcloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.fieldcloud.support.ApiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The API reference for people: Swagger UI, reached from the pages' footer, with the FieldCloud token scheme. */
class WebApiDocsBrowserTest extends ApiTest {

    private Browser browser;

    @BeforeEach
    void start() {
        browser = new Browser("http://localhost:" + port);
    }

    @AfterEach
    void stop() {
        browser.close();
    }

    @Test
    void theFooterLeadsToSwaggerUiWithTokenAuthorization() {
        browser.open("/");
        browser.driver.findElement(By.linkText("API reference")).click();
        browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".swagger-ui .info .title")));
        assertThat(browser.find(".swagger-ui .info .title").getText()).contains("FieldCloud API");
        browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button.authorize"))).click();
        assertThat(browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".auth-container"))).getText())
                .contains("Authorization").contains("Token");
        browser.screenshots("api-reference");
    }
}
