package sn.wolo.contract;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.client.ApiClient;
import sn.wolo.client.ApiException;
import sn.wolo.client.api.DevApi;
import sn.wolo.client.api.DonationApi;
import sn.wolo.client.api.IdentityApi;
import sn.wolo.client.api.PotApi;
import sn.wolo.client.api.ProfileApi;
import sn.wolo.client.model.CreateDonationRequest;
import sn.wolo.client.model.CreateDonationResponse;
import sn.wolo.client.model.CreatePotRequest;
import sn.wolo.client.model.CreatePotResponse;
import sn.wolo.client.model.GetPotResponse;
import sn.wolo.client.model.PutMyProfileRequest;
import sn.wolo.client.model.RequestOtpRequest;
import sn.wolo.client.model.VerifyOtpRequest;
import sn.wolo.client.model.VerifyOtpResponse;
import sn.wolo.testing.Await;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.TestApp;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: the main flow driven only through the Java client that openapi-generator made from
 * {@code openapi/wolo.yaml} during this build (target/generated-test-sources) — what a mobile team
 * gets. Sign-up by OTP, a profile, a pot open today, an anonymous donation, the payment at Wave, the
 * totals. No hand-written HTTP: if the contract and the server disagree on a name or a type, this fails.
 */
class GeneratedClientTest {

  private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
  private static TestApp app;
  private static String baseUri;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    baseUri = "http://127.0.0.1:" + app.port();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void signUpPotDonationPaymentAndTotalsThroughTheGeneratedClient() throws Exception {
    ApiClient anonymous = client();
    String phone = "+221771239876";
    new IdentityApi(anonymous).requestOtp(new RequestOtpRequest().phone(phone));
    String sms = new DevApi(anonymous).listSandboxMessages(phone).getMessages().get(0).getBody();
    Matcher code = CODE.matcher(sms);
    assertTrue(code.find(), sms);
    VerifyOtpResponse tokens = new IdentityApi(anonymous).verifyOtp(new VerifyOtpRequest().phone(phone).code(code.group(1)));
    assertTrue(tokens.getIsNewUser());
    ApiClient owner = client().setRequestInterceptor(request -> request.header("Authorization", "Bearer " + tokens.getAccessToken()));

    // A birthday in 10 days: the pot opens at J-30, so it takes donations today.
    LocalDate birthday = LocalDate.now(ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1994);
    new ProfileApi(owner).putMyProfile(new PutMyProfileRequest().fullName("Awa Ndiaye").dateOfBirth(birthday));
    CreatePotResponse pot = new PotApi(owner).createPot(new CreatePotRequest().title("Mes 32 ans").targetAmountCfa(50_000L)
        .visibility(CreatePotRequest.VisibilityEnum.PUBLIC));
    assertEquals("open", pot.getStatus());

    CreateDonationResponse donation = new DonationApi(anonymous).createDonation(pot.getId().toString(),
        new CreateDonationRequest().amountCfa(7_500L).donorName("Moussa").message("Joyeux anniversaire !").isAnonymous(false), null);
    assertEquals("pending", donation.getStatus());
    assertTrue(donation.getWaveLaunchUrl().startsWith(app.wave().baseUrl()), donation.getWaveLaunchUrl());

    Await.result(app.wave().complete(donation.getCheckoutSessionId()));   // the donor pays at Wave
    DonationApi donations = new DonationApi(anonymous);
    Eventually.until("the donation succeeded", () -> "succeeded".equals(status(donations, donation.getId().toString())));

    PotApi pots = new PotApi(owner);
    Eventually.until("the pot credited", () -> raised(pots, pot.getId().toString()) == 7_500L);
    GetPotResponse totals = pots.getPot(pot.getId().toString());
    assertEquals(7_500L, totals.getRaisedCfa());
    assertEquals(1, totals.getSucceededDonations());

    // The contract's errors reach the client as ApiException with the error model.
    ApiException misspelt = assertThrows(ApiException.class, () -> new PotApi(owner).createPot(new CreatePotRequest().title(" ")
        .targetAmountCfa(50_000L)));
    assertEquals(400, misspelt.getCode());
    assertNotNull(misspelt.getResponseBody());
    assertTrue(misspelt.getResponseBody().contains("invalid_title"), misspelt.getResponseBody());
  }

  private static ApiClient client() {
    ApiClient client = new ApiClient();
    client.updateBaseUri(baseUri);
    return client;
  }

  private static long raised(PotApi pots, String id) {
    try {
      return pots.getPot(id).getRaisedCfa();
    } catch (ApiException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String status(DonationApi donations, String id) {
    try {
      return donations.getDonation(id).getStatus();
    } catch (ApiException e) {
      throw new IllegalStateException(e);
    }
  }
}
