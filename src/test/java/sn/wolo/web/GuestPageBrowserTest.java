package sn.wolo.web;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import sn.wolo.testing.TestApp;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: a guest opens a share link in a real browser (headless Chromium, driven by Selenium),
 * fills the donation form, pays on the Wave simulator's payer page, lands on the success page
 * that shows the real state, and finds their name on the pot's page. {@code .ci/run} installs
 * Debian's {@code chromium} and {@code chromium-driver}; the paths can be overridden with
 * {@code -Dwolo.chromium} and {@code -Dwolo.chromedriver}.
 */
class GuestPageBrowserTest {

  private static TestApp app;
  private static WebDriver browser;
  private static String base;

  @BeforeAll
  static void start() {
    int port = TestApp.freePort();
    base = "http://127.0.0.1:" + port;
    app = TestApp.start(Map.of("http.port", String.valueOf(port), "public.base-url", base,
        "donation.success-url", base + "/donation/success", "donation.error-url", base + "/donation/error"), java.time.Clock.systemUTC());
    ChromeOptions options = new ChromeOptions().setBinary(System.getProperty("wolo.chromium", "/usr/bin/chromium"))
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=420,1200");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(System.getProperty("wolo.chromedriver", "/usr/bin/chromedriver"))).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.quit();
    if (app != null) app.close();
  }

  @Test
  void aGuestGivesThroughTheSharedLinkAndSeesTheirDonation() throws Exception {
    JsonObject owner = app.accounts().otpLogin("+221775550001");
    String token = owner.getString("access_token");
    String birthday = LocalDate.now(ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1994).toString();
    assertEquals(200, app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Aïssatou Fall").put("date_of_birth", birthday), token).statusCode());
    var pot = app.http().post("/v1/pots", new JsonObject().put("title", "Les 33 ans d'Aïssatou").put("target_amount_cfa", 50_000)
        .put("visibility", "public"), token);
    assertEquals(201, pot.statusCode(), pot.bodyAsString());
    String potId = pot.bodyAsJsonObject().getString("id");

    browser.get(base + "/p/" + potId);
    assertTrue(browser.getTitle().contains("Les 33 ans d'Aïssatou"), browser.getTitle());
    assertTrue(browser.getPageSource().length() < 50_000, "a light page");
    screenshot("guest-page");
    browser.findElement(By.cssSelector("input[name=preset][value='5000']")).click();
    browser.findElement(By.id("donor_name")).sendKeys("Moussa <b>Ndiaye</b>");
    browser.findElement(By.id("message")).sendKeys("Joyeux anniversaire !");
    browser.findElement(By.id("give")).click();

    // Wave's payer page (the simulator), then back to our success page.
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(app.wave().baseUrl() + "/pay/"));
    assertTrue(browser.getPageSource().contains("5000"), "Wave asks for 5,000 francs");
    browser.findElement(By.xpath("//button[text()='Payer']")).click();
    // While pending, the success page reloads itself every 3 s: an element found just before a reload is stale, look again.
    new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
        .until(d -> d.getCurrentUrl().startsWith(base + "/donation/success")
        && "succeeded".equals(d.findElement(By.id("status")).getAttribute("data-status")));
    assertTrue(browser.findElement(By.tagName("h1")).getText().contains("Merci"));
    screenshot("donation-success");

    browser.get(base + "/p/" + potId);
    String donors = browser.findElement(By.id("donors")).getText();
    assertTrue(donors.contains("Moussa <b>Ndiaye</b>"), "shown as text, never as markup: " + donors);
    assertTrue(donors.contains("Joyeux anniversaire"), donors);
    assertTrue(browser.getPageSource().matches("(?s).*5[\\s\\u00a0\\u202f]000 F CFA</strong> réunis.*"), "the progress counts it (French digit grouping)");

    // A private pot without its share token is not found; a malformed link neither.
    var hidden = app.http().post("/v1/pots", new JsonObject().put("title", "Secret").put("target_amount_cfa", 10_000)
        .put("visibility", "private"), app.accounts().otpLogin("+221775550002").getString("access_token"));
    browser.get(base + "/p/" + hidden.bodyAsJsonObject().getString("id"));
    assertTrue(browser.findElement(By.tagName("h1")).getText().contains("introuvable"));
    var notFound = app.http().get("/p/not-a-pot", null);
    assertEquals(404, notFound.statusCode());
    assertTrue(notFound.getHeader("Content-Security-Policy").contains("default-src 'none'"));
  }

  private static void screenshot(String name) throws Exception {
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
