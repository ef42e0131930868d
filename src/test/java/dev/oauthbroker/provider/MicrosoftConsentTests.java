package dev.oauthbroker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * The shipped Microsoft 365 card works for a non-admin: in a default tenant a user cannot consent
 * to a delegated permission whose consent type is Admin (AADSTS90093/90094), and one such scope
 * stops the whole consent — Outlook and OneDrive with it. So the microsoft bucket's default tools
 * ask none, and the catalogue's {@code adminConsent.scopes} names every admin-only scope a shipped
 * Microsoft tool asks.
 */
class MicrosoftConsentTests {

    /**
     * Microsoft Graph delegated permissions whose "Admin consent required" is Yes, from Microsoft's
     * Graph permissions reference: https://learn.microsoft.com/en-us/graph/permissions-reference
     * (per permission, e.g. https://graphpermissions.merill.net/permission/ChannelMessage.Read.All).
     * Not exhaustive: the ones a Microsoft 365 tool is likely to be given.
     */
    static final Set<String> ADMIN_ONLY_DELEGATED = Set.of(
            "ChannelMessage.Read.All", "ChannelMember.Read.All", "TeamMember.Read.All", "TeamSettings.Read.All",
            "Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All", "Directory.Read.All",
            "Directory.AccessAsUser.All", "User.Read.All", "AuditLog.Read.All", "Reports.Read.All",
            "Sites.FullControl.All", "Application.Read.All", "Policy.Read.All", "RoleManagement.Read.Directory");

    /**
     * Every Microsoft scope the shipped catalogue asks, each checked against the same reference:
     * "Admin consent required: No" for the delegated permission (a user consents alone).
     */
    static final Set<String> USER_CONSENTABLE_DELEGATED = Set.of(
            "offline_access", "openid", "User.Read", "Mail.Read", "Calendars.Read", "Chat.Read", "Team.ReadBasic.All",
            "Channel.ReadBasic.All", "Files.Read.All", "Notes.Read", "Sites.Read.All");

    final ProviderCatalog catalog = new CatalogLoader(new MockEnvironment()::resolvePlaceholders).load(Path.of("config/providers.yaml"));
    final Provider microsoft = catalog.provider("microsoft");

    @Test
    void theMicrosoftCardsDefaultToolsAskNoAdminOnlyPermission() {
        Bucket card = catalog.bucket("microsoft").orElseThrow();
        Set<String> asked = new LinkedHashSet<>(microsoft.scopes());
        card.tools().forEach(id -> asked.addAll(catalog.tool(id).orElseThrow().scopes()));

        assertThat(card.tools()).containsExactly("outlook", "teams", "onedrive");
        assertThat(asked).as("scopes of the Microsoft 365 card").doesNotContainAnyElementsOf(ADMIN_ONLY_DELEGATED)
                .doesNotContainAnyElementsOf(microsoft.adminConsent().scopes());
        assertThat(catalog.tool("teams").orElseThrow().scopes()).containsExactly("Chat.Read", "Team.ReadBasic.All", "Channel.ReadBasic.All");
        assertThat(card.tools()).noneMatch(id -> microsoft.needsAdminConsent(catalog.tool(id).orElseThrow()));
    }

    @Test
    void everyShippedMicrosoftScopeIsKnownAndEveryAdminOnlyOneIsDeclaredAsSuch() {
        Set<String> asked = new LinkedHashSet<>(microsoft.scopes());
        microsoft.tools().forEach(t -> asked.addAll(t.scopes()));

        for (String scope : asked) {
            assertThat(USER_CONSENTABLE_DELEGATED.contains(scope) || ADMIN_ONLY_DELEGATED.contains(scope))
                    .as("%s checked against the Graph permissions reference (add it to one list)", scope).isTrue();
        }
        assertThat(microsoft.adminConsent().scopes()).containsExactlyInAnyOrderElementsOf(
                asked.stream().filter(ADMIN_ONLY_DELEGATED::contains).toList());
    }

    @Test
    void channelMessagesAreAnOptInToolOutsideEveryBucketThatNeedsAdminConsent() {
        Tool channels = catalog.tool("teams_channels").orElseThrow();

        assertThat(channels.scopes()).containsExactly("ChannelMessage.Read.All");
        assertThat(microsoft.needsAdminConsent(channels)).isTrue();
        assertThat(catalog.adminConsentTools(microsoft)).extracting(Tool::id).containsExactly("teams_channels");
        assertThat(catalog.buckets()).noneMatch(b -> b.tools().contains("teams_channels"));
        assertThat(microsoft.adminConsent().url()).isEqualTo("https://login.microsoftonline.com/organizations/v2.0/adminconsent");
        assertThat(microsoft.adminConsent().qualified(List.of("offline_access", "Chat.Read")))
                .containsExactly("offline_access", "https://graph.microsoft.com/Chat.Read");
    }

    @Test
    void theAadstsCodesOfAMissingAdminConsentAreCatalogueData() {
        AnswerRules errors = microsoft.errors();

        assertThat(errors.adminConsentCodes()).containsExactly("AADSTS65001", "AADSTS90093", "AADSTS90094");
        for (String code : errors.adminConsentCodes()) {
            assertThat(errors.classify(400, java.util.Map.of("error", "invalid_grant",
                    "error_description", code + ": The user or administrator has not consented to use the application.")))
                    .isEqualTo(new AnswerRules.Verdict(AnswerRules.Outcome.ADMIN_CONSENT_REQUIRED, "admin_consent_required"));
        }
        assertThat(errors.deadGrantDescriptionCodes()).doesNotContainAnyElementsOf(errors.adminConsentCodes());
        assertThat(errors.classify(400, java.util.Map.of("error", "invalid_grant", "error_description", "AADSTS700082: expired")))
                .isEqualTo(new AnswerRules.Verdict(AnswerRules.Outcome.DEAD_GRANT, "AADSTS700082"));
    }
}
