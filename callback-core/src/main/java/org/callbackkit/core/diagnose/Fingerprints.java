package org.callbackkit.core.diagnose;

import static org.callbackkit.core.diagnose.FingerprintRule.BODY;
import static org.callbackkit.core.diagnose.FingerprintRule.FIREWALL;
import static org.callbackkit.core.diagnose.FingerprintRule.PROBE;
import static org.callbackkit.core.diagnose.FingerprintRule.REDIRECT;
import static org.callbackkit.core.diagnose.FingerprintRule.builder;
import static org.callbackkit.core.diagnose.FingerprintRule.header;

import java.util.List;

/**
 * The classifier's knowledge as data: the support articles' checklist and the firewall
 * fingerprints of Cloudflare, Sucuri, Wordfence, ModSecurity (with Comodo rules), Imperva
 * (Incapsula), Akamai and LiteSpeed, in the order they are tried. Each list is a new immutable
 * copy; prepend your own rules to recognise another WAF.
 */
public final class Fingerprints {

    /** The firewall name of Cloudflare. */
    public static final String CLOUDFLARE = "Cloudflare";
    /** The firewall name of Sucuri. */
    public static final String SUCURI = "Sucuri";
    /** The firewall name of Wordfence. */
    public static final String WORDFENCE = "Wordfence";
    /** The firewall name of ModSecurity, Comodo's rule set included. */
    public static final String MODSECURITY = "ModSecurity";
    /** The firewall name of Imperva (Incapsula). */
    public static final String IMPERVA = "Imperva";
    /** The firewall name of Akamai. */
    public static final String AKAMAI = "Akamai";
    /** The firewall name of LiteSpeed. */
    public static final String LITESPEED = "LiteSpeed";
    /** The firewall name of Comodo WAF: Comodo's ModSecurity rule set (ids 210000-229999), common on cPanel and LiteSpeed hosts. */
    public static final String COMODO_WAF = "Comodo WAF";
    /** The name of Spring Security's filter chain, which answers before any servlet of the application. */
    public static final String SPRING_SECURITY = "Spring Security";
    /** The name of the Apache web server, whose own error pages a module such as ModSecurity answers with. */
    public static final String APACHE = "Apache";
    /** The name of the nginx web server, whose own error pages its modules and limits answer with. */
    public static final String NGINX = "nginx";

    private static final String HTML = "<html|<!doctype html|<body|<head";
    private static final String PATHS = "{path|the callback paths}";
    private static final String WHITELIST = "`callback-doctor whitelist <shop URL>` prints the rules to paste.";
    private static final String JOURNAL = "Look the attempt up in the shop's callback journal: if it is not there, the "
            + "callback never reached the shop.";
    private static final String MODSECURITY_LOG = "Find the rule id in the host's ModSecurity log (cPanel > ModSecurity > "
            + "Hits List, or modsec_audit.log) at the attempt's time.";
    private static final String MODSECURITY_SKIP = "Let " + PATHS + " skip ModSecurity with a scoped SecRule; " + WHITELIST;
    private static final String MODSECURITY_HOST = "Contact your host if you cannot change ModSecurity yourself; tell them "
            + "the rule id and the callback path.";
    /** A ModSecurity rule id as the block page or log shows it: {@code [id "942370"]} or {@code rule 211180}. */
    private static final String RULE_ID_TAG = "\\[id \"(\\d{3,7})\"\\]";
    private static final String RULE_ID_TEXT = "\\brule\\s*(?:id)?\\s*[:#]?\\s*(\\d{4,7})";

    private Fingerprints() {
    }

    /**
     * Every rule we ship, recognisers first, then transport failures, firewalls, the shop's own
     * answers, redirects and suspect 2xx answers. The {@link #statusClassFallbacks()} follow them
     * in every expert classifier.
     */
    public static List<FingerprintRule> standard() {
        return List.of(
                // ---- who stands in front of the shop (no verdict: evaluation goes on) ----
                builder("cloudflare.proxy").firewall(CLOUDFLARE).whenHeader("cf-ray")
                        .extract("rayId", header("cf-ray"), "^([0-9a-f]{8,20})").build(),
                builder("cloudflare.server").firewall(CLOUDFLARE).whenHeader("Server", "^cloudflare").build(),
                builder("sucuri.proxy").firewall(SUCURI).whenHeader("X-Sucuri-ID")
                        .extract("blockId", header("x-sucuri-block"), "(\\S+)").build(),
                builder("sucuri.server").firewall(SUCURI).whenHeader("Server", "sucuri|cloudproxy").build(),
                builder("imperva.cookie").firewall(IMPERVA).whenCookie("\\b(?:incap_ses|visid_incap|nlbi_)").build(),
                builder("imperva.header").firewall(IMPERVA).whenHeader("X-Iinfo").build(),
                builder("imperva.cdn").firewall(IMPERVA).whenHeader("X-CDN", "incapsula|imperva").build(),
                builder("akamai.server").firewall(AKAMAI).whenHeader("Server", "AkamaiGHost").build(),

                // ---- TLS: what the provider's client refused (curl's and Java's wording) ----
                builder("tls.expired").verdict(Verdict.TLS_FAILURE)
                        .whenFailure(TransportFailure.CERTIFICATE, TransportFailure.TLS_HANDSHAKE)
                        .whenFailureMessage("expired|validity check failed|not yet valid")
                        .summary("The shop's TLS certificate has expired (or is not valid yet), so {provider}'s client "
                                + "refuses to connect.")
                        .step("Renew the certificate for {host|the shop's host} and make renewal automatic (e.g. "
                                + "certbot renew from a timer), then reload the web server.")
                        .step("Check the certificate the server really serves with an SSL test (such as SSL Labs) or "
                                + "`callback-doctor check`.")
                        .build(),
                builder("tls.hostname").verdict(Verdict.TLS_FAILURE)
                        .whenFailure(TransportFailure.CERTIFICATE, TransportFailure.TLS_HANDSHAKE)
                        .whenFailureMessage("no alternative certificate subject name|No subject alternative|"
                                + "No name matching|hostname mismatch|doesn't match|does not match")
                        .summary("The certificate is not issued for {host|the host} {provider} calls, so its client "
                                + "refuses it.")
                        .step("Serve a certificate whose names include {host|the callback host} (add it as a subject "
                                + "alternative name, including or excluding www as the callback URL does).")
                        .step("Or register the callback URL with the host name the certificate is issued for.")
                        .build(),
                builder("tls.self-signed").verdict(Verdict.TLS_FAILURE)
                        .whenFailure(TransportFailure.CERTIFICATE, TransportFailure.TLS_HANDSHAKE)
                        .whenFailureMessage("self[- ]signed")
                        .summary("The shop serves a self-signed certificate; {provider} accepts only certificates "
                                + "from a public certificate authority.")
                        .step("Install a certificate from a public authority (Let's Encrypt is free) for "
                                + "{host|the shop's host}.")
                        .step("A browser exception or a private CA on your own machines does not help: the provider's "
                                + "client checks against public authorities only.")
                        .build(),
                builder("tls.untrusted-authority").verdict(Verdict.TLS_FAILURE)
                        .whenFailure(TransportFailure.CERTIFICATE, TransportFailure.TLS_HANDSHAKE)
                        .whenFailureMessage("untrusted authority|untrusted root")
                        .summary("The certificate chain leads to an authority {provider}'s client does not trust (a "
                                + "private or test CA); serving the full chain would not help.")
                        .step("Serve a certificate from a public authority (Let's Encrypt is free) for "
                                + "{host|the shop's host}.")
                        .step("To check the rest of a test set-up first, run `callback-doctor check` with "
                                + "`--ca-cert <the CA's certificate>`; providers never trust it.")
                        .build(),
                builder("tls.missing-intermediate").verdict(Verdict.TLS_FAILURE)
                        .whenFailure(TransportFailure.CERTIFICATE, TransportFailure.TLS_HANDSHAKE)
                        .whenFailureMessage("unable to get local issuer certificate|unable to verify the first "
                                + "certificate|missing intermediate|incomplete chain")
                        .summary("{provider}'s client found no chain to a trusted authority in what the server sent: "
                                + "most often the intermediate certificate is missing (browsers fetch it themselves and "
                                + "show the site as secure; {provider}'s client does not). A certificate from a private "
                                + "or test authority reads the same in curl's words, and serving the chain will not fix "
                                + "that one: `callback-doctor check` tells the two apart.")
                        .step("Serve the full chain: nginx `ssl_certificate` must point at the full chain "
                                + "(fullchain.pem: leaf, then intermediate); Apache 2.4.8+ reads the chain from "
                                + "`SSLCertificateFile` too; on a panel, paste the CA bundle next to the certificate.")
                        .step("Check the served chain with an SSL test (such as SSL Labs: \"Chain issues: "
                                + "Incomplete\") or `callback-doctor check`.")
                        .build(),
                builder("tls.untrusted").verdict(Verdict.TLS_FAILURE)
                        .whenFailure(TransportFailure.CERTIFICATE, TransportFailure.TLS_HANDSHAKE)
                        .whenFailureMessage("PKIX path|unable to find valid certification path|untrusted|unknown ca|"
                                + "certificate verify failed")
                        .summary("{provider}'s client does not trust the certificate chain: a private or unknown "
                                + "authority, a self-signed certificate, or a missing intermediate certificate.")
                        .step("Serve a certificate from a public authority with its full chain (leaf, then "
                                + "intermediate).")
                        .step("`callback-doctor check` looks at the chain the server sends and says which it is.")
                        .build(),

                // ---- firewalls and WAFs, by their pages, headers and reason phrases ----
                builder("cloudflare.challenge").firewall(CLOUDFLARE).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenHeader("cf-mitigated", "challenge")
                        .summary("Cloudflare answered with a challenge (a browser check) that {provider}'s server "
                                + "cannot pass, so the callback never reached the shop.")
                        .step("In Cloudflare, Security > Events, search for Ray ID {rayId} to see which setting "
                                + "challenged it.")
                        .step("Add a WAF custom rule with the action Skip (all remaining custom rules, managed rules, "
                                + "rate limiting, Super Bot Fight Mode) for " + PATHS + "; " + WHITELIST)
                        .step("Bot Fight Mode (Free plan) cannot be skipped by a rule: turn it off if it challenges "
                                + "the callbacks, or use Super Bot Fight Mode with a skip rule.")
                        .build(),
                builder("cloudflare.challenge-page").firewall(CLOUDFLARE).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenBody("challenge-platform|cf-chl-|cf_chl_|<title>Just a moment\\.\\.\\.</title>")
                        .extract("rayId", BODY, "Ray ID:?\\s*(?:<[^>]*>\\s*)*([0-9a-f]{16})")
                        .summary("Cloudflare answered with a challenge page (\"Just a moment...\") that {provider}'s "
                                + "server cannot pass, so the callback never reached the shop.")
                        .step("In Cloudflare, Security > Events, search for Ray ID {rayId} to see which setting "
                                + "challenged it.")
                        .step("Add a WAF custom rule with the action Skip for " + PATHS + " (skip managed rules, "
                                + "rate limiting and Super Bot Fight Mode; turn \"Under Attack\" mode off for them "
                                + "with a configuration rule); " + WHITELIST)
                        .build(),
                builder("cloudflare.rate-limit").firewall(CLOUDFLARE).verdict(Verdict.RATE_LIMITED)
                        .whenBody("Cloudflare")
                        .whenBody("(?:error code:?|Error)\\s*(?:<[^>]*>\\s*)*1015\\b|You are being rate limited")
                        .extract("rayId", BODY, "Ray ID:?\\s*(?:<[^>]*>\\s*)*([0-9a-f]{16})")
                        .summary("A Cloudflare rate limiting rule refused the callback (error 1015): the provider "
                                + "sent more requests than the rule allows, as it does when it retries.")
                        .step("In Cloudflare, Security > Events, search for Ray ID {rayId} to find the rate "
                                + "limiting rule.")
                        .step("Exclude " + PATHS + " from the rule, or add a custom rule with the action Skip "
                                + "(rate limiting rules) for them; " + WHITELIST)
                        .build(),
                builder("cloudflare.access-denied").firewall(CLOUDFLARE).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenBody("Cloudflare").whenBody("(?:error code:?|Error)\\s*(?:<[^>]*>\\s*)*10[0-9]{2}")
                        .extract("cloudflareError", BODY, "(?:error code:?|Error)\\s*(?:<[^>]*>\\s*)*(10[0-9]{2})")
                        .extract("rayId", BODY, "Ray ID:?\\s*(?:<[^>]*>\\s*)*([0-9a-f]{16})")
                        .summary("Cloudflare's firewall refused the callback (error {cloudflareError|10xx}, access "
                                + "denied): a WAF rule, an IP, country or user-agent block, or Browser Integrity "
                                + "Check matched {provider}'s request.")
                        .step("In Cloudflare, Security > Events, search for Ray ID {rayId}: the event names the "
                                + "rule or setting that blocked it.")
                        .step("Add a WAF custom rule with the action Skip for " + PATHS + " and place it above the "
                                + "blocking rules; " + WHITELIST)
                        .step("If the event says Browser Integrity Check, turn it off for the callback paths with a "
                                + "configuration rule.")
                        .build(),
                builder("cloudflare.origin-down").firewall(CLOUDFLARE).verdict(Verdict.SERVER_ERROR)
                        .whenStatus(521, 523).when(FIREWALL, CLOUDFLARE)
                        .summary("Cloudflare could not reach the shop's server ({status}): the origin is down or "
                                + "refuses Cloudflare's addresses.")
                        .step("Check that the web server runs and that the host's firewall allows Cloudflare's IP "
                                + "ranges (cloudflare.com/ips).")
                        .step("Contact your host with Ray ID {rayId} and the attempt's time.")
                        .build(),
                builder("cloudflare.origin-timeout").firewall(CLOUDFLARE).verdict(Verdict.SERVER_ERROR)
                        .whenStatus(522, 524).when(FIREWALL, CLOUDFLARE)
                        .summary("Cloudflare gave up waiting for the shop's server ({status}, timeout): the shop is "
                                + "overloaded or the callback's work takes too long.")
                        .step("Answer callbacks at once and do the work later (a delayed action), as Callback Kit's "
                                + "modules do; check the server's load at the attempt's time.")
                        .build(),
                builder("cloudflare.origin-tls").firewall(CLOUDFLARE).verdict(Verdict.SERVER_ERROR)
                        .whenStatus(525, 526).when(FIREWALL, CLOUDFLARE)
                        .summary("Cloudflare could not make a valid TLS connection to the shop's server ({status}): "
                                + "the origin's certificate is invalid for Cloudflare's SSL mode \"Full (strict)\".")
                        .step("Install a valid certificate on the origin (a Cloudflare Origin CA certificate works), "
                                + "or fix its chain and host name.")
                        .build(),
                builder("cloudflare.unknown-origin-error").firewall(CLOUDFLARE).verdict(Verdict.SERVER_ERROR)
                        .whenStatus(520).when(FIREWALL, CLOUDFLARE)
                        .summary("The shop's server sent Cloudflare an empty or malformed answer (520).")
                        .step("Look in the web server's error log at the attempt's time: a crash, a reset "
                                + "connection, or headers too large.")
                        .build(),
                builder("sucuri.block-page").firewall(SUCURI).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenBody("Sucuri WebSite Firewall|sucuri-firewall-block\\.css|cdn\\.sucuri\\.net")
                        .extract("blockId", BODY, "Block ID:?\\s*(?:<[^>]*>\\s*)*([A-Z]{2,6}[0-9]{2,4})")
                        .summary("The Sucuri Website Firewall blocked the callback before it reached the shop.")
                        .step("In the Sucuri dashboard, Firewall > Audit Trails, find the request (block ID "
                                + "{blockId}).")
                        .step("Firewall > Access Control > Allowlist URL Paths: add " + PATHS + "; " + WHITELIST)
                        .step("Where the provider publishes its addresses, also add them under Allowlist IP "
                                + "Addresses.")
                        .build(),
                builder("sucuri.block-header").firewall(SUCURI).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenHeader("X-Sucuri-Block")
                        .summary("The Sucuri Website Firewall blocked the callback (block {blockId|header "
                                + "X-Sucuri-Block}) before it reached the shop.")
                        .step("In the Sucuri dashboard, Firewall > Audit Trails, find the request (block ID "
                                + "{blockId}).")
                        .step("Firewall > Access Control > Allowlist URL Paths: add " + PATHS + "; " + WHITELIST)
                        .build(),
                builder("wordfence.rate-limit").firewall(WORDFENCE).verdict(Verdict.RATE_LIMITED)
                        .whenBody("access to this site has been limited")
                        .extract("blockReason", BODY, "Block Reason:?\\s*(?:<[^>]*>\\s*)*([^<\\n]{3,120})")
                        .summary("Wordfence limited {provider}'s access (\"Your access to this site has been "
                                + "limited by the site owner\"): its rate limiting or a blocking rule answered "
                                + "{status|503}.")
                        .step("In WordPress, Wordfence > Tools > Live Traffic, find the request at the attempt's "
                                + "time; Wordfence's block reason: \"{blockReason}\"")
                        .step("Wordfence > Firewall > Rate Limiting: make sure a provider retrying a few times a "
                                + "minute is not throttled (\"If anyone's requests exceed\").")
                        .step("Wordfence > All Options > Allowlisted URLs: add " + PATHS + ".")
                        .build(),
                builder("wordfence.unsafe").firewall(WORDFENCE).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenBody("potentially unsafe operation has been detected")
                        .summary("Wordfence's firewall blocked the callback as \"a potentially unsafe operation\".")
                        .step("Wordfence > Tools > Live Traffic: find the blocked request and choose \"Add Param to "
                                + "Firewall Allowlist\", or add " + PATHS + " under Allowlisted URLs.")
                        .build(),
                builder("wordfence.page").firewall(WORDFENCE).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenBody("Generated by Wordfence|wordfence\\.com/help")
                        .summary("Wordfence blocked the callback before it reached the shop's callback code.")
                        .step("Wordfence > Tools > Live Traffic: find the request at the attempt's time and the rule "
                                + "that blocked it; allowlist " + PATHS + " under Allowlisted URLs.")
                        .build(),
                builder("comodo.page").firewall(COMODO_WAF).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenBody("Mod_Security|ModSecurity|mod_security|COMODO WAF")
                        .whenBody("COMODO WAF|\\bCWAF\\b|\\[id \"2[12]\\d{4}\"\\]|\\brule\\s*(?:id)?\\s*[:#]?\\s*2[12]\\d{4}\\b")
                        .extract("ruleId", BODY, RULE_ID_TAG)
                        .extract("ruleId", BODY, RULE_ID_TEXT)
                        .summary("The host's Comodo WAF (Comodo's ModSecurity rules) refused the callback "
                                + "({status|blocked}); its rule 211180 is known to block `User-Agent: APIs-Klarna` "
                                + "without a Referer.")
                        .step("Disable Comodo WAF rule {ruleId} for " + PATHS + " only (SecRule ... "
                                + "\"ctl:ruleRemoveById={ruleId}\"; in cPanel: ModSecurity Tools > Rules, or the "
                                + "host's CWAF plugin), or ask your host to.")
                        .step(MODSECURITY_LOG)
                        .step(MODSECURITY_SKIP)
                        .step(MODSECURITY_HOST)
                        .build(),
                builder("modsecurity.page").firewall(MODSECURITY).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenBody("Mod_Security|ModSecurity|mod_security")
                        .extract("ruleId", BODY, RULE_ID_TAG)
                        .extract("ruleId", BODY, RULE_ID_TEXT)
                        .summary("The host's ModSecurity firewall refused the callback ({status|blocked}). Comodo's "
                                + "rules on cPanel and LiteSpeed hosts are known to block requests like "
                                + "`User-Agent: APIs-Klarna` without a Referer (rule 211180); the OWASP Core Rule Set "
                                + "blocks JSON with SQL-like text (942370 on Klarna's merchant_data) and hex values "
                                + "(942450 on Blockonomics' USDT 0x addresses) from paranoia level 2.")
                        .step("Disable ModSecurity rule {ruleId} for " + PATHS + " only (SecRule ... "
                                + "\"ctl:ruleRemoveById={ruleId}\"), or ask your host to.")
                        .step(MODSECURITY_LOG)
                        .step(MODSECURITY_SKIP)
                        .step(MODSECURITY_HOST)
                        .build(),
                builder("modsecurity.reason").firewall(MODSECURITY).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenReason("ModSecurity|Mod_Security")
                        .summary("The host's ModSecurity firewall refused the callback (\"{reason}\").")
                        .step("Find the rule id in the host's ModSecurity log (cPanel > ModSecurity > Hits List, or "
                                + "modsec_audit.log) at the attempt's time, and disable it for " + PATHS + ".")
                        .step("Or let " + PATHS + " skip ModSecurity with a scoped SecRule; " + WHITELIST)
                        .build(),
                builder("comodo.server").firewall(COMODO_WAF).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenStatusClass(4).whenHeader("Server", "COMODO WAF")
                        .summary("The host's Comodo WAF (\"{header:server}\", Comodo's ModSecurity rules) refused "
                                + "the callback ({status}).")
                        .step(MODSECURITY_LOG + " Comodo's rule 211180 blocks `User-Agent: APIs-Klarna` without a "
                                + "Referer; disable the rule found for " + PATHS + ".")
                        .step(MODSECURITY_SKIP)
                        .build(),
                builder("modsecurity.server").firewall(MODSECURITY).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenStatusClass(4).whenHeader("Server", "mod_security")
                        .summary("The host's ModSecurity firewall (\"{header:server}\") refused the callback "
                                + "({status}).")
                        .step("Find the rule id in the host's ModSecurity log (cPanel > ModSecurity > Hits List, or "
                                + "modsec_audit.log) at the attempt's time, and disable it for " + PATHS + ".")
                        .step("Or let " + PATHS + " skip ModSecurity with a scoped SecRule; " + WHITELIST)
                        .build(),
                builder("imperva.incident").firewall(IMPERVA).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenBody("Incapsula incident ID|_Incapsula_Resource")
                        .extract("incidentId", BODY, "incident ID:?\\s*([0-9-]{6,})")
                        .summary("Imperva (Incapsula) blocked the callback and served its incident page.")
                        .step("In the Imperva console, Security Events: look up incident {incidentId}.")
                        .step("Add an exception for " + PATHS + " to the policy that matched (or allowlist the "
                                + "provider's addresses where it publishes them).")
                        .build(),
                builder("akamai.denied").firewall(AKAMAI).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenBody("Access Denied").whenBody("Reference\\s*#")
                        .extract("reference", BODY, "Reference\\s*#\\s*([0-9a-f]+(?:\\.[0-9a-f]+)+)")
                        .summary("Akamai's edge refused the callback (\"Access Denied\").")
                        .step("Ask whoever runs your Akamai configuration to look up reference #{reference} and add "
                                + "an exception for " + PATHS + ".")
                        .build(),
                builder("litespeed.recaptcha").firewall(LITESPEED).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenBody("lsrecaptcha|LiteSpeed.{0,80}reCAPTCHA")
                        .summary("LiteSpeed's anti-bot reCAPTCHA answered instead of the shop: a server cannot solve "
                                + "it.")
                        .step("Ask your host to exempt " + PATHS + " from LiteSpeed's reCAPTCHA / anti-DDoS "
                                + "protection (or raise its connection limit).")
                        .build(),
                builder("litespeed.blocked").firewall(LITESPEED).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenStatus(403, 406, 429).whenHeader("Server", "LiteSpeed")
                        .summary("LiteSpeed refused the callback ({status}): usually its ModSecurity engine with "
                                + "Comodo rules (rule 211180 blocks `APIs-Klarna`), its anti-DDoS throttling, or an "
                                + ".htaccess rule.")
                        .step("Ask your host which ModSecurity rule matched at the attempt's time (cPanel > "
                                + "ModSecurity) and to disable it for " + PATHS + ".")
                        .step("Check .htaccess for rules that deny by User-Agent or without a Referer; " + WHITELIST)
                        .build(),
                builder("spring-security.refused").firewall(SPRING_SECURITY).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenStatus(401, 403)
                        .when(BODY, "\"timestamp\"\\s*:.{0,200}\"status\"\\s*:\\s*40[13]\\b.{0,200}\"path\"\\s*:")
                        .summary("Spring Security refused the callback ({status}) before the application's servlets "
                                + "ran: with its defaults, a POST without a CSRF token, or a path that is not permitted. "
                                + "Callback Kit's router never saw it, so it is not in the journal.")
                        .step("Exempt " + PATHS + " from CSRF and permit them: Callback Kit's Spring Boot starter "
                                + "adds a SecurityFilterChain that does so; without it, a chain with "
                                + "securityMatcher(\"/callbacks/**\"), csrf disabled and permitAll, ordered first.")
                        .build(),
                builder("spring-security.headers").firewall(SPRING_SECURITY).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenStatus(401, 403).whenHeader("X-Frame-Options", "^DENY$").whenHeader("Expires", "^0$")
                        .whenHeader("Pragma", "no-cache").whenNot(BODY, "^\\{\"error\"\\s*:")
                        .summary("A security filter with Spring Security's default headers refused the callback "
                                + "({status}) before the application's servlets ran (a CSRF check or an unpermitted "
                                + "path): Callback Kit's router never saw it.")
                        .step("Exempt " + PATHS + " from CSRF and permit them: Callback Kit's Spring Boot starter "
                                + "adds a SecurityFilterChain that does so; without it, a chain with "
                                + "securityMatcher(\"/callbacks/**\"), csrf disabled and permitAll, ordered first.")
                        .build(),
                builder("apache.forbidden").firewall(APACHE).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenStatus(403).whenBody("You don't have permission to access")
                        .summary("Apache answered its own 403 page: Apache itself or a module in it refused the "
                                + "callback before the shop's code ran. Most often that is ModSecurity (the OWASP Core "
                                + "Rule Set, or Comodo's rules), else a Require or .htaccess rule.")
                        .step("Apache's error.log has the refusal at the attempt's time: a line with "
                                + "[security2:error] and [id \"...\"] names the ModSecurity rule; "
                                + "modsec_audit.log holds the whole match.")
                        .step("Disable that rule for " + PATHS + " only (SecRuleRemoveById in a <LocationMatch>, "
                                + "or ctl:ruleRemoveById); " + WHITELIST)
                        .step("No ModSecurity line: look for `AH01630: client denied by server configuration` "
                                + "(a Require rule) or an .htaccess deny.")
                        .build(),
                builder("nginx.forbidden").firewall(NGINX).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenStatus(403).whenBody("<center>nginx[^<]*</center>")
                        .summary("nginx answered its own 403 page: nginx or a module in it refused the callback "
                                + "before the shop's code ran. Most often that is ModSecurity (the OWASP Core Rule "
                                + "Set), else a deny rule.")
                        .step("nginx's error.log has the refusal at the attempt's time: `ModSecurity: Access "
                                + "denied with code 403 ... [id \"...\"]` names the rule; the audit log "
                                + "(modsecurity.conf's SecAuditLog) holds the whole match.")
                        .step("Disable that rule for " + PATHS + " only (modsecurity_rules 'SecRuleRemoveById ...' in "
                                + "the callback location); " + WHITELIST)
                        .step("No ModSecurity line: look for `access forbidden by rule` (a deny directive).")
                        .build(),
                builder("nginx.limit-req").firewall(NGINX).verdict(Verdict.RATE_LIMITED)
                        .whenStatus(503).whenBody("<center>nginx[^<]*</center>")
                        .whenBody("503 Service Temporarily Unavailable")
                        .summary("nginx answered its own 503 page: its request limit (limit_req or limit_conn) "
                                + "refused the callback before it reached the shop, so the shop logged nothing.")
                        .step("nginx's error.log has `limiting requests, excess: ... by zone \"...\"` (or "
                                + "`limiting connections`) at the attempt's time.")
                        .step("Exempt " + PATHS + " from the limit (a location without limit_req) or give it a "
                                + "burst: providers retry, and callback-doctor's burst check shows the limit.")
                        .build(),
                builder("probe.refused-in-front").firewall(Diagnosis.UNKNOWN_FIREWALL).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenStatus(403).when(PROBE, "^unanswered$")
                        .summary("The probe was refused ({status}) before Callback Kit's router: the router answers "
                                + "every probe itself and never asks it for credentials, so something in front of it "
                                + "refused (a framework's CSRF check or security filter, an authentication layer, a "
                                + "firewall).")
                        .step("Find what guards " + PATHS + " in the application and the server in front of it, and "
                                + "exempt the callback paths from CSRF checks and authentication; " + WHITELIST)
                        .build(),
                builder("firewall.blocked").verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenStatus(403, 406, 429).when(FIREWALL, ".").whenNot(header("Content-Type"), "json")
                        .summary("{firewall} answered {status} instead of the shop: the callback never reached the "
                                + "shop's callback code.")
                        .step("Find the request in {firewall}'s security event log at the attempt's time.")
                        .step("Its Ray ID is {rayId}: search for it in Cloudflare, Security > Events.")
                        .step("Let " + PATHS + " skip {firewall}'s rules; " + WHITELIST)
                        .build(),

                // ---- the shop's own answers and the web server's ----
                builder("shop.refused-auth").verdict(Verdict.REJECTED)
                        .whenStatus(401, 403).whenHeader("Content-Type", "json")
                        .extract("error", BODY, "\"error\"\\s*:\\s*\"([^\"]{1,200})\"")
                        .summary("The shop's callback code refused the callback as not authentic ({status}: "
                                + "{error|no reason given}).")
                        .step("Check the credentials {provider} and the shop share: for Blockonomics the secret in "
                                + "the registered callback URL, for others the agreed header or API credentials.")
                        .step(JOURNAL)
                        .build(),
                builder("http.basic-auth").verdict(Verdict.REJECTED)
                        .whenStatus(401)
                        .summary("HTTP authentication (a password-protected staging site or .htaccess basic auth) "
                                + "stands in front of the callback path.")
                        .step("Exempt " + PATHS + " from the password protection: nginx `auth_basic off;`, Apache "
                                + "`Require all granted` in a <LocationMatch>; " + WHITELIST)
                        .build(),
                builder("html.blocked").firewall(Diagnosis.UNKNOWN_FIREWALL).verdict(Verdict.BLOCKED_BY_FIREWALL)
                        .whenStatus(403, 406).when(BODY, HTML)
                        .summary("Something in front of the shop's callback code refused the callback with an HTML "
                                + "page ({status}): a security plugin, the host's firewall (often ModSecurity) or a "
                                + "web server rule. The callback code itself answers JSON.")
                        .step(JOURNAL)
                        .step("Check the security plugins (Wordfence, iThemes/Solid Security, All In One WP "
                                + "Security) and the host's firewall for blocks at the attempt's time.")
                        .step("Allow " + PATHS + " through them; " + WHITELIST)
                        .step("Contact your host with the attempt's time and path if you cannot find the block "
                                + "yourself.")
                        .build(),
                builder("wordpress.not-found").verdict(Verdict.NOT_FOUND)
                        .whenStatus(404).whenBody("wp-content|wp-includes|wordpress")
                        .summary("WordPress answered 404: the callback URL reaches WordPress, not the callback "
                                + "handler. Pretty permalinks are off, or a rewrite rule is missing.")
                        .step("In WordPress, Settings > Permalinks: choose any structure but \"Plain\" and save "
                                + "(this writes the rewrite rules).")
                        .step("Check that the callback URL registered with {provider} is exactly the one the shop "
                                + "mounts (no language prefix, no missing path segment).")
                        .build(),
                builder("router.not-found").verdict(Verdict.NOT_FOUND)
                        .whenStatus(404).whenBody("no callback endpoint at this path")
                        .summary("The shop's callback servlet answered, but nothing is mounted at this path for "
                                + "{provider} {kind}.")
                        .step("Mount the provider module's endpoints on the router, and register the URL it builds "
                                + "(`merchantUrls`, `callbackUrl`) rather than typing it.")
                        .build(),
                builder("http.method").verdict(Verdict.REJECTED)
                        .whenStatus(405)
                        .extract("allow", header("Allow"), "(.+)")
                        .summary("The callback path does not take {provider}'s method (405; it takes "
                                + "{allow|another method}).")
                        .step("Register the URL of the matching endpoint; a rewrite or proxy may have turned a POST "
                                + "into a GET (an http to https redirect does that).")
                        .build(),
                builder("http.rate-limit").verdict(Verdict.RATE_LIMITED)
                        .whenStatus(429)
                        .extract("retryAfter", header("Retry-After"), "(\\d+)")
                        .summary("The shop or its host rate-limited the callback (429): a provider retrying a few "
                                + "times a minute must not be throttled.")
                        .step("Exempt " + PATHS + " from the rate limit (web server, security plugin or CDN).")
                        .build(),
                builder("php.fatal").verdict(Verdict.SERVER_ERROR)
                        .whenStatusClass(5).whenBody("critical error on this website|Fatal error|Parse error|"
                                + "Allowed memory size")
                        .summary("The shop's code crashed with a fatal error while handling the callback "
                                + "({status}).")
                        .step("Find the fatal error in the PHP error log (or WordPress's debug.log, WooCommerce > "
                                + "Status > Logs \"fatal-errors\") at the attempt's time.")
                        .step("Contact the developer of the plugin or theme named in the error, with that log.")
                        .build(),
                builder("router.internal-error").verdict(Verdict.SERVER_ERROR)
                        .whenStatus(500).whenBody("\"error\"\\s*:\\s*\"internal error\"")
                        .extract("errorId", BODY, "\"id\"\\s*:\\s*\"([0-9a-zA-Z-]{1,64})\"")
                        .summary("The shop's callback handler failed (500); the error is logged with id "
                                + "{errorId|(none given)}.")
                        .step("Search the shop's log for {errorId}: the exception and its stack trace are there.")
                        .build(),
                builder("maintenance").verdict(Verdict.SERVER_ERROR)
                        .whenStatus(503).whenBody("maintenance|Briefly unavailable")
                        .summary("The shop is in maintenance mode (503), so callbacks are turned away.")
                        .step("Keep maintenance short, or exempt " + PATHS + " from the maintenance page.")
                        .build(),
                builder("shop.unavailable").verdict(Verdict.SERVER_ERROR)
                        .whenStatus(503).whenHeader("Retry-After")
                        .extract("retryAfter", header("Retry-After"), "(\\d+)")
                        .summary("The shop asked {provider} to come back later (503, Retry-After "
                                + "{retryAfter|given}): a temporary failure, such as a lock held or a store down.")
                        .step(JOURNAL)
                        .build(),
                builder("upstream.bad-gateway").verdict(Verdict.SERVER_ERROR)
                        .whenStatus(502)
                        .summary("The proxy in front of the shop got no valid answer from the application (502): it "
                                + "crashed, restarted, or PHP-FPM was down.")
                        .step("Look in the web server's error log and the application's log at the attempt's time.")
                        .build(),
                builder("upstream.timeout").verdict(Verdict.SERVER_ERROR)
                        .whenStatus(504)
                        .summary("The proxy in front of the shop gave up waiting for the application (504).")
                        .step("Answer callbacks at once and do the work later (a delayed action); check the load at "
                                + "the attempt's time.")
                        .build(),

                // ---- redirects: providers never follow them ----
                builder("redirect.https").verdict(Verdict.REDIRECTED)
                        .whenStatusClass(3).when(REDIRECT, "^https$")
                        .summary("The shop redirects http to https ({status}); {provider} does not follow redirects "
                                + "(and a POST would become a GET).")
                        .step("Register the https URL with {provider}: {location}.")
                        .build(),
                builder("redirect.language").verdict(Verdict.REDIRECTED)
                        .whenStatusClass(3).when(REDIRECT, "^language$")
                        .summary("A multilingual plugin inserted a language prefix before the callback path "
                                + "({location}); {provider} does not follow redirects.")
                        .step("Exclude " + PATHS + " from the language plugin's URL rewriting (WPML, Polylang, "
                                + "TranslatePress, Weglot all have a setting for excluded paths).")
                        .step("Register the callback URL without the language prefix.")
                        .build(),
                builder("redirect.slash").verdict(Verdict.REDIRECTED)
                        .whenStatusClass(3).when(REDIRECT, "^slash$")
                        .summary("The shop redirects to add or remove a trailing slash ({location}); {provider} "
                                + "does not follow redirects.")
                        .step("Register the exact URL {location}, or stop the redirect for " + PATHS + ".")
                        .build(),
                builder("redirect.login").verdict(Verdict.REDIRECTED)
                        .whenStatusClass(3).when(REDIRECT, "^login$")
                        .summary("The callback path redirects to a login page ({location}): it is behind "
                                + "authentication, which {provider} cannot pass.")
                        .step("Exempt " + PATHS + " from the login requirement (maintenance or members-only "
                                + "plugins, staging protection).")
                        .build(),
                builder("redirect.host").verdict(Verdict.REDIRECTED)
                        .whenStatusClass(3).when(REDIRECT, "^host$")
                        .summary("The shop redirects to another host or port ({location}), e.g. between www and "
                                + "the bare domain; {provider} does not follow redirects.")
                        .step("Register the callback URL on the host the shop really serves: {location}.")
                        .build(),

                // ---- a 2xx is not proof ----
                builder("suspect.login-page").verdict(Verdict.SUSPECT_SUCCESS)
                        .whenStatusClass(2).whenBody("wp-login\\.php|type=[\"']password[\"']|name=[\"']pwd[\"']")
                        .summary("A login page answered {status}: the callback path is behind authentication, and "
                                + "{provider} takes the {status} as success.")
                        .step("Exempt " + PATHS + " from the login requirement; " + WHITELIST)
                        .build(),
                builder("suspect.php-error").verdict(Verdict.SUSPECT_SUCCESS)
                        .whenStatusClass(2)
                        .whenBody("(?:<b>)?(?:PHP )?(?:Warning|Notice|Deprecated|Fatal error|Parse error)(?:</b>)?:\\s"
                                + ".{1,500}?\\son line\\s(?:<b>)?\\d+|critical error on this website")
                        .extract("phpError", BODY, "((?:PHP )?(?:Warning|Notice|Deprecated|Fatal error|Parse error))")
                        .summary("PHP printed a {phpError|error} into the {status} answer: the shop's code failed, or "
                                + "may have, while {provider} takes the {status} as success.")
                        .step("Find the error in the PHP error log (WooCommerce > Status > Logs, debug.log) at the "
                                + "attempt's time, and turn display_errors off on production.")
                        .step(JOURNAL)
                        .build(),
                builder("suspect.json-error").verdict(Verdict.SUSPECT_SUCCESS)
                        .whenStatusClass(2).whenNot(PROBE, "^answered$")
                        .whenBody("^\\s*\\{.*(?:\"(?:error|errors|error_message)\"\\s*:\\s*(?!null\\b|false\\b|\\[\\s*\\]|\"\")"
                                + "|\"(?:success|ok)\"\\s*:\\s*false\\b|\"(?:status|result)\"\\s*:\\s*\"(?:error|fail(?:ed|ure)?)\")")
                        .extract("error", BODY, "\"(?:error|message|error_message)\"\\s*:\\s*\"([^\"]{1,200})\"")
                        .summary("The shop answered {status}, but its body says the callback failed "
                                + "({error|an error}); {provider} takes the {status} as success.")
                        .step("Make the callback code answer a non-2xx status when it fails (a wrong secret 403, "
                                + "an unknown order 404), so that {provider} retries and the failure shows.")
                        .step(JOURNAL)
                        .build(),
                builder("suspect.html").verdict(Verdict.SUSPECT_SUCCESS)
                        .whenStatusClass(2).whenNot(PROBE, "^answered$").when(BODY, HTML)
                        .summary("An HTML page answered {status} where the callback endpoint answers JSON or nothing: "
                                + "a cache, a catch-all rule or the CMS answered instead of the callback code.")
                        .step(JOURNAL)
                        .step("Compare a callback that worked with this one (the journal page's compare view) and "
                                + "exclude " + PATHS + " from page caches and CMS rewrites.")
                        .build(),
                builder("suspect.probe-unanswered").verdict(Verdict.SUSPECT_SUCCESS)
                        .whenStatusClass(2).when(PROBE, "^unanswered$")
                        .summary("The probe was answered {status}, but not by Callback Kit's router: something in "
                                + "front answers 2xx to everything (a catch-all rule, a cache, another application).")
                        .step(JOURNAL)
                        .step("Find what answers " + PATHS + " on the server (web server, CDN page rules, caches) "
                                + "and route the path to the callback servlet.")
                        .build());
    }

    /**
     * The rules that decide by status class and transport failure alone; every expert classifier
     * ends with them, so each attempt gets a verdict.
     */
    public static List<FingerprintRule> statusClassFallbacks() {
        return List.of(
                builder("transport.dns").verdict(Verdict.UNREACHABLE).whenFailure(TransportFailure.DNS)
                        .summary("The host name {host|of the callback URL} does not resolve, so {provider} cannot "
                                + "connect.")
                        .step("Check the host's DNS records (A/AAAA) and the callback URL registered with "
                                + "{provider}: a public name, not localhost or a local network name.")
                        .build(),
                builder("transport.refused").verdict(Verdict.UNREACHABLE).whenFailure(TransportFailure.CONNECTION_REFUSED)
                        .summary("Nothing accepted the connection on port {port|of the callback URL}: the server is "
                                + "down, listens elsewhere, or a network firewall refuses {provider}'s address.")
                        .step("Check that the web server listens publicly on the URL's port, and that the host's "
                                + "firewall (iptables, security group, hosting panel) admits the provider's addresses.")
                        .build(),
                builder("transport.timeout").verdict(Verdict.TIMEOUT).whenFailure(TransportFailure.TIMEOUT)
                        .summary("The shop did not answer in time.")
                        .step("Answer callbacks at once and do the work later; check the server's load and any "
                                + "firewall that silently drops connections.")
                        .build(),
                builder("tls.failure").verdict(Verdict.TLS_FAILURE)
                        .whenFailure(TransportFailure.TLS_HANDSHAKE, TransportFailure.CERTIFICATE)
                        .summary("The TLS connection to the shop failed.")
                        .step("Check the certificate: valid, not expired, issued for this host name, served with its "
                                + "intermediate certificates; and that TLS 1.2 or 1.3 is enabled.")
                        .build(),
                builder("transport.other").verdict(Verdict.UNREACHABLE).whenFailure(TransportFailure.OTHER)
                        .summary("{provider} could not exchange a request with the shop ({failureMessage|no "
                                + "detail}).")
                        .step("Check that the callback URL uses the shop's public host name and that the server "
                                + "accepts connections from the internet.")
                        .build(),
                builder("status.2xx").verdict(Verdict.DELIVERED).whenStatusClass(2)
                        .summary("The shop answered {status}.")
                        .build(),
                builder("status.3xx").verdict(Verdict.REDIRECTED).whenStatusClass(3)
                        .summary("The shop redirected the callback ({status}) to {location|another URL}; providers "
                                + "do not follow redirects.")
                        .step("Register the final URL (https, no language prefix, exact trailing slash) with the "
                                + "provider.")
                        .build(),
                builder("shop.no-order").verdict(Verdict.REJECTED)
                        .whenStatus(404).whenHeader("Content-Type", "json").whenBody("no order|unknown order")
                        .extract("error", BODY, "\"error\"\\s*:\\s*\"([^\"]{1,200})\"")
                        .summary("The shop's callback code took the callback but has no order for it (404: "
                                + "{error|no reason given}); the path exists, and {provider} sends it again.")
                        .step("If the order exists, check the shop's order lookup for what the callback names (the "
                                + "order id, or Blockonomics' address or txid): the journal entry shows it.")
                        .step("Blockonomics payments to an address no order uses are answered 200 by default, as its "
                                + "plugin does; this 404 comes from refusePaymentsWithoutOrder(true): keep it only if "
                                + "the wallet takes no other payments.")
                        .build(),
                builder("status.404").verdict(Verdict.NOT_FOUND).whenStatus(404)
                        .summary("The callback path does not exist on the shop (404).")
                        .step("Check that the callback endpoints are mounted at the path registered with the "
                                + "provider.")
                        .build(),
                builder("status.4xx").verdict(Verdict.REJECTED).whenStatusClass(4)
                        .summary("The shop, or something in front of it, refused the callback ({status}).")
                        .step("Look up the request in the shop's callback journal; if it is not there, a firewall or "
                                + "security plugin blocked it: allow the callback path.")
                        .build(),
                builder("status.5xx").verdict(Verdict.SERVER_ERROR).whenStatusClass(5)
                        .summary("The shop failed while handling the callback ({status}).")
                        .step("Look for the error in the shop's logs at the time of the attempt.")
                        .build(),
                builder("status.1xx").verdict(Verdict.SERVER_ERROR).whenStatusClass(1)
                        .summary("The shop sent only an interim answer ({status}) and no final one.")
                        .step("Look for the error in the web server's log at the time of the attempt.")
                        .build());
    }
}
