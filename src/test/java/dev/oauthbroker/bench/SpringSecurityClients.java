package dev.oauthbroker.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.JdbcOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;

/**
 * The reference of the refresh storm: Spring Security's OAuth2 client as an application would
 * wire it for service use — {@link AuthorizedClientServiceOAuth2AuthorizedClientManager} over
 * {@link JdbcOAuth2AuthorizedClientService} on the benchmark's PostgreSQL, refresh-token grant,
 * against the same rotating stub. One manager with its own connection pool stands for one
 * instance; the managers of a run share the table as instances would.
 */
final class SpringSecurityClients implements AutoCloseable {

    static final String REGISTRATION = "stub";

    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<AuthorizedClientServiceOAuth2AuthorizedClientManager> managers = new ArrayList<>();
    private final List<JdbcOAuth2AuthorizedClientService> services = new ArrayList<>();
    private final ClientRegistration registration;

    SpringSecurityClients(BenchDatabase database, String name, int instances, String stubUrl) {
        registration = ClientRegistration.withRegistrationId(REGISTRATION)
                .clientId("bench-client").clientSecret("bench-client-secret")
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .authorizationUri(stubUrl + "/authorize").tokenUri(stubUrl + "/token").scope("read").build();
        InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration);
        for (int i = 0; i < instances; i++) {
            HikariDataSource pool = database.dataSource(name);
            if (i == 0 && new JdbcTemplate(pool).queryForObject("select to_regclass('oauth2_authorized_client') is null", Boolean.class)) {
                new ResourceDatabasePopulator(new ClassPathResource(
                        "org/springframework/security/oauth2/client/oauth2-client-schema-postgres.sql")).execute(pool);
            }
            JdbcOAuth2AuthorizedClientService service = new JdbcOAuth2AuthorizedClientService(new JdbcTemplate(pool), registrations);
            AuthorizedClientServiceOAuth2AuthorizedClientManager manager =
                    new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, service);
            manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder().refreshToken().build());
            pools.add(pool);
            services.add(service);
            managers.add(manager);
        }
    }

    /** Stores an authorized client whose access token expired an hour ago, holding generation 0 of the principal's refresh tokens. */
    void seed(String principal) {
        Instant now = Instant.now();
        OAuth2AccessToken expired = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "at-" + principal + "-0",
                now.minusSeconds(7200), now.minusSeconds(3600), Set.of("read"));
        services.get(0).saveAuthorizedClient(new OAuth2AuthorizedClient(registration, principal, expired,
                new OAuth2RefreshToken(ProviderStub.refreshToken(principal, 0), now.minusSeconds(7200))),
                new TestingAuthenticationToken(principal, null));
    }

    /** What a caller of instance {@code instance} gets: 200 with a usable token, else 409 (the client was removed or is absent). */
    int authorize(int instance, String principal) {
        OAuth2AuthorizedClient client = managers.get(instance % managers.size())
                .authorize(OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION).principal(principal).build());
        return client == null ? 409 : 200;
    }

    /** The refresh token stored now for {@code principal}, or null when its authorized client is gone. */
    String storedRefreshToken(String principal) {
        OAuth2AuthorizedClient client = services.get(0).loadAuthorizedClient(REGISTRATION, principal);
        return client == null || client.getRefreshToken() == null ? null : client.getRefreshToken().getTokenValue();
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
    }
}
