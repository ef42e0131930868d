package dev.oauthbroker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The oauth-broker service: flows live in {@code routes/*.camel.yaml}, beans in these packages. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OAuthBrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(OAuthBrokerApplication.class, args);
    }
}
