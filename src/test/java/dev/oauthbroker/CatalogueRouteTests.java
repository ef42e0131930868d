package dev.oauthbroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogueRouteTests extends BrokerIntegrationTest {

    @Test
    void toolsAreServedFromTheCatalogueOverHttpWithoutAToken() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/api/tools"))
                        .header("Authorization", "Bearer should-not-be-echoed").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.headers().firstValue("Authorization")).isEmpty();
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.get("tools")).hasSize(15);
        assertThat(body.get("buckets")).hasSize(6);
        JsonNode jira = find(body.get("tools"), "toolType", "jira");
        assertThat(jira.get("provider").asText()).isEqualTo("atlassian");
        assertThat(jira.get("bucket").asText()).isEqualTo("atlassian");
        assertThat(jira.get("available").asBoolean()).isTrue();
        assertThat(find(body.get("tools"), "toolType", "slack").get("bucket").isNull()).isTrue();
        assertThat(find(body.get("tools"), "toolType", "gitlab").get("available").asBoolean()).isFalse();
        assertThat(find(body.get("buckets"), "id", "gitlab").get("available").asBoolean()).isFalse();
        assertThat(find(body.get("tools"), "toolType", "github").get("gives")).extracting(JsonNode::asText)
                .containsExactly("Pull requests", "Commits", "Reviews");
        assertThat(find(body.get("tools"), "toolType", "gitlab").get("gives")).extracting(JsonNode::asText).containsExactly("GitLab");
        assertThat(find(body.get("tools"), "toolType", "onedrive").get("comingSoon").asBoolean()).isTrue();
        assertThat(find(body.get("tools"), "toolType", "outlook").get("comingSoon").asBoolean()).isFalse();
        assertThat(find(body.get("tools"), "toolType", "teams_channels").get("adminConsent").asBoolean()).isTrue();
        assertThat(find(body.get("tools"), "toolType", "teams").get("adminConsent").asBoolean()).isFalse();
        JsonNode microsoft = find(body.get("buckets"), "id", "microsoft");
        assertThat(microsoft.get("gives")).extracting(JsonNode::asText).containsExactly("Outlook mail", "Outlook calendar", "Teams chats");
        assertThat(microsoft.get("comingSoon").asBoolean()).isFalse();
        JsonNode acme = find(body.get("buckets"), "id", "acme");
        assertThat(acme.get("comingSoon").asBoolean()).isTrue();
        assertThat(acme.get("available").asBoolean()).as("coming soon is not unavailable").isTrue();
        assertThat(acme.get("provider").asText()).isEqualTo("acme");
        assertThat(acme.get("tools")).extracting(JsonNode::asText).containsExactly("acme_wiki");
        assertThat(response.body()).doesNotContain("client-secret-value").doesNotContain("client-id");
    }

    @Test
    void startupLogsOneLinePerProviderSayingConfiguredOrWhatIsMissing() {
        List<String> lines = LogCapture.serviceLines().stream().filter(l -> l.startsWith("dev.oauthbroker.provider.ProviderDiagnostics")).toList();
        assertThat(lines).anyMatch(l -> l.endsWith("provider gitlab unavailable: missing credentials (set [GITLAB_CLIENT_ID, GITLAB_CLIENT_SECRET])"));
        assertThat(lines).anyMatch(l -> l.contains("provider atlassian configured (2 tools: [jira, confluence])"));
        assertThat(lines).noneMatch(l -> l.contains("client-secret-value") || l.contains("client-id"));
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (node.get(field).asText().equals(value)) {
                return node;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }
}
