package org.callbackkit.spring;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code callbackkit.*} properties. A provider module is switched on by its credentials (or
 * secret) together with its listener bean; the rest has defaults. Provider enum values
 * (environment, flavour, region) are plain strings here, so that this class binds without the
 * provider modules on the classpath; they are checked, with the allowed values named, when the
 * module is built.
 */
@ConfigurationProperties(prefix = "callbackkit")
public class CallbackKitProperties {

    /** Whether Callback Kit is configured at all (off: no router, servlet, store or security chain). */
    private boolean enabled = true;

    /** Where the callback servlet is mounted; every provider path is below it. */
    private String path = "/callbacks";

    private final Limits limits = new Limits();
    private final Store store = new Store();
    private final Journal journal = new Journal();
    private final Security security = new Security();
    private final Tomcat tomcat = new Tomcat();
    private final Klarna klarna = new Klarna();
    private final Blockonomics blockonomics = new Blockonomics();
    private final Ecster ecster = new Ecster();
    private final Avarda avarda = new Avarda();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Limits getLimits() {
        return limits;
    }

    public Store getStore() {
        return store;
    }

    public Journal getJournal() {
        return journal;
    }

    public Security getSecurity() {
        return security;
    }

    public Tomcat getTomcat() {
        return tomcat;
    }

    public Klarna getKlarna() {
        return klarna;
    }

    public Blockonomics getBlockonomics() {
        return blockonomics;
    }

    public Ecster getEcster() {
        return ecster;
    }

    public Avarda getAvarda() {
        return avarda;
    }

    /** What the router refuses before any provider code runs. */
    public static class Limits {
        /** Largest callback body; larger ones are answered 413 and journaled. */
        private DataSize maxBody = DataSize.ofKilobytes(256);
        /** Most query parameters in one callback; more are answered 400 and journaled. */
        private int maxQueryParameters = 100;

        public DataSize getMaxBody() {
            return maxBody;
        }

        public void setMaxBody(DataSize maxBody) {
            this.maxBody = maxBody;
        }

        public int getMaxQueryParameters() {
            return maxQueryParameters;
        }

        public void setMaxQueryParameters(int maxQueryParameters) {
            this.maxQueryParameters = maxQueryParameters;
        }
    }

    /** Where the journal, pending actions and per-order state are kept. */
    public static class Store {
        /**
         * memory (lost on restart: for tests and trials), file (an embedded database in one file,
         * one node; needs callback-jdbc and callbackkit.store.file), or datasource (the
         * application's DataSource bean, e.g. PostgreSQL shared by many nodes; needs callback-jdbc).
         */
        private StoreType type = StoreType.MEMORY;
        /** The embedded database file when type is file, e.g. data/callbacks. */
        private Path file;
        /**
         * Threads that run delayed actions. 0: nothing runs by itself; the application (or a test)
         * calls CallbackKitStore.runDue().
         */
        private int threads = 4;
        /** How often idle threads look for due actions. */
        private Duration pollInterval = Duration.ofSeconds(5);
        /** How long after its time a pending action counts as overdue (and health says DOWN). */
        private Duration overdueAfter = Duration.ofMinutes(5);
        /** Whether the durable store creates and upgrades its tables itself (off when Flyway or Liquibase owns them). */
        private boolean createSchema = true;

        public StoreType getType() {
            return type;
        }

        public void setType(StoreType type) {
            this.type = type;
        }

        public Path getFile() {
            return file;
        }

        public void setFile(Path file) {
            this.file = file;
        }

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getOverdueAfter() {
            return overdueAfter;
        }

        public void setOverdueAfter(Duration overdueAfter) {
            this.overdueAfter = overdueAfter;
        }

        public boolean isCreateSchema() {
            return createSchema;
        }

        public void setCreateSchema(boolean createSchema) {
            this.createSchema = createSchema;
        }
    }

    /** The store choices of {@code callbackkit.store.type}. */
    public enum StoreType {
        /** In memory: lost on restart. */
        MEMORY,
        /** An embedded database in one file ({@code callbackkit.store.file}): one node. */
        FILE,
        /** The application's {@code DataSource} bean: many nodes on PostgreSQL. */
        DATASOURCE
    }

    /**
     * The journal page. It shows customer data, so it is mounted only when a role is set here or
     * the application has a {@link CallbackJournalAuthorization} bean.
     */
    public static class Journal {
        /** Where the journal page is mounted. */
        private String path = "/admin/callbacks";
        /** The role (as in HttpServletRequest.isUserInRole, e.g. from Spring Security) that may see the page. */
        private String role;
        /** The time zone the page shows times in beside UTC, and reads its time-range filter in; UTC only when unset. */
        private ZoneId zone;
        /**
         * How long each refused callback (answered other than 2xx) is kept whole (headers and body, in memory
         * only, never written) so that an operator can re-dispatch it once the cause of its refusal is fixed;
         * off when unset, since a body holds personal data and a header the provider's secret. Lost on
         * restart.
         */
        private Duration keepBodiesFor;
        /** The most callbacks kept whole for re-dispatch, the newest; memory is at most this times the body limit. */
        private int keepBodiesMax = 1000;
        /**
         * A secret of at least 32 characters, the same on every node, that masked values are hashed under
         * so that the compare view tells a wrong secret from the right one across nodes and restarts;
         * random per process when unset.
         */
        private String fingerprintKey;

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public String getRole() {
            return role;
        }

        public void setRole(String role) {
            this.role = role;
        }

        public ZoneId getZone() {
            return zone;
        }

        public void setZone(ZoneId zone) {
            this.zone = zone;
        }

        public Duration getKeepBodiesFor() {
            return keepBodiesFor;
        }

        public void setKeepBodiesFor(Duration keepBodiesFor) {
            this.keepBodiesFor = keepBodiesFor;
        }

        public String getFingerprintKey() {
            return fingerprintKey;
        }

        public void setFingerprintKey(String fingerprintKey) {
            this.fingerprintKey = fingerprintKey;
        }

        public int getKeepBodiesMax() {
            return keepBodiesMax;
        }

        public void setKeepBodiesMax(int keepBodiesMax) {
            this.keepBodiesMax = keepBodiesMax;
        }
    }

    /** Spring Security, when it is on the classpath. */
    public static class Security {
        /**
         * Whether callback paths get their own SecurityFilterChain (ahead of the application's)
         * that permits them without CSRF, and whether requests the firewall refuses there are
         * journaled. Off: the application exempts the mount path itself.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Embedded Tomcat's connector, which every request of the application shares. */
    public static class Tomcat {
        /** Whether the limits below are set on the connector (refusals are journaled either way). */
        private boolean enabled = true;
        /**
         * How long a connection may stay silent (a request line, headers or a body that stops
         * arriving); a body that stops is answered 408 with the library's JSON.
         */
        private Duration idleTimeout = Duration.ofSeconds(10);
        /** Largest request line and headers together. */
        private DataSize maxHeaderSize = DataSize.ofKilobytes(8);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public DataSize getMaxHeaderSize() {
            return maxHeaderSize;
        }

        public void setMaxHeaderSize(DataSize maxHeaderSize) {
            this.maxHeaderSize = maxHeaderSize;
        }
    }

    /** callback-klarna; on when merchant-id is set (a KlarnaShop bean is then required). */
    public static class Klarna {
        /** Klarna or Kustom merchant id (API username). */
        private String merchantId;
        /** Klarna or Kustom shared secret (API password). */
        private String sharedSecret;
        /** PLAYGROUND or LIVE; required. */
        private String environment;
        /** KLARNA or KUSTOM; default told by the credentials. */
        private String flavour;
        /** EU, NA or OC. */
        private String region = "EU";
        /** What validation answers when the KlarnaValidator bean throws or overruns: APPROVE or REJECT; required with a validator. */
        private String validatorFallback;
        /** The Order Management API's base URI instead of the environment's (a proxy, or a fake in tests). */
        private java.net.URI apiBaseUri;

        public String getMerchantId() {
            return merchantId;
        }

        public void setMerchantId(String merchantId) {
            this.merchantId = merchantId;
        }

        public String getSharedSecret() {
            return sharedSecret;
        }

        public void setSharedSecret(String sharedSecret) {
            this.sharedSecret = sharedSecret;
        }

        public String getEnvironment() {
            return environment;
        }

        public void setEnvironment(String environment) {
            this.environment = environment;
        }

        public String getFlavour() {
            return flavour;
        }

        public void setFlavour(String flavour) {
            this.flavour = flavour;
        }

        public String getRegion() {
            return region;
        }

        public void setRegion(String region) {
            this.region = region;
        }

        public String getValidatorFallback() {
            return validatorFallback;
        }

        public void setValidatorFallback(String validatorFallback) {
            this.validatorFallback = validatorFallback;
        }

        public java.net.URI getApiBaseUri() {
            return apiBaseUri;
        }

        public void setApiBaseUri(java.net.URI apiBaseUri) {
            this.apiBaseUri = apiBaseUri;
        }
    }

    /** callback-blockonomics; on when secret is set (a BlockonomicsShop or OrderHookListener bean is then required). */
    public static class Blockonomics {
        /** The secret in the callback URL registered with Blockonomics. */
        private String secret;
        /** The previous secret, accepted too while the registered URL changes over. */
        private String previousSecret;
        /** Confirmations that make a payment count: 0, 1 or 2. */
        private int confirmationsRequired = 2;
        /** How many percent short of the price still count as paid. */
        private BigDecimal underpaymentSlackPercent = BigDecimal.ZERO;
        /** Answer 404 (retried, red) instead of 200 to a payment no order expects. */
        private boolean refusePaymentsWithoutOrder;

        public String getSecret() {
            return secret;
        }

        public void setSecret(String secret) {
            this.secret = secret;
        }

        public String getPreviousSecret() {
            return previousSecret;
        }

        public void setPreviousSecret(String previousSecret) {
            this.previousSecret = previousSecret;
        }

        public int getConfirmationsRequired() {
            return confirmationsRequired;
        }

        public void setConfirmationsRequired(int confirmationsRequired) {
            this.confirmationsRequired = confirmationsRequired;
        }

        public BigDecimal getUnderpaymentSlackPercent() {
            return underpaymentSlackPercent;
        }

        public void setUnderpaymentSlackPercent(BigDecimal underpaymentSlackPercent) {
            this.underpaymentSlackPercent = underpaymentSlackPercent;
        }

        public boolean isRefusePaymentsWithoutOrder() {
            return refusePaymentsWithoutOrder;
        }

        public void setRefusePaymentsWithoutOrder(boolean refusePaymentsWithoutOrder) {
            this.refusePaymentsWithoutOrder = refusePaymentsWithoutOrder;
        }
    }

    /** callback-ecster; on when api-key is set (an EcsterShop bean is then required). */
    public static class Ecster {
        /** Ecster API key (x-api-key). */
        private String apiKey;
        /** Ecster merchant key (x-merchant-key). */
        private String merchantKey;
        /** LABS or LIVE; required. */
        private String environment;
        /** The header Ecster is configured to send with notifications, if any. */
        private String sharedHeaderName;
        /** That header's agreed value. */
        private String sharedHeaderValue;
        /** The API's base URI instead of the environment's (a proxy, or a fake in tests). */
        private java.net.URI apiBaseUri;

        public String getApiKey() {
            return apiKey;
        }

        public void setApiKey(String apiKey) {
            this.apiKey = apiKey;
        }

        public String getMerchantKey() {
            return merchantKey;
        }

        public void setMerchantKey(String merchantKey) {
            this.merchantKey = merchantKey;
        }

        public String getEnvironment() {
            return environment;
        }

        public void setEnvironment(String environment) {
            this.environment = environment;
        }

        public String getSharedHeaderName() {
            return sharedHeaderName;
        }

        public void setSharedHeaderName(String sharedHeaderName) {
            this.sharedHeaderName = sharedHeaderName;
        }

        public String getSharedHeaderValue() {
            return sharedHeaderValue;
        }

        public void setSharedHeaderValue(String sharedHeaderValue) {
            this.sharedHeaderValue = sharedHeaderValue;
        }

        public java.net.URI getApiBaseUri() {
            return apiBaseUri;
        }

        public void setApiBaseUri(java.net.URI apiBaseUri) {
            this.apiBaseUri = apiBaseUri;
        }
    }

    /** callback-avarda; on when client-id is set (an AvardaShop bean is then required). */
    public static class Avarda {
        /** Avarda client id. */
        private String clientId;
        /** Avarda client secret. */
        private String clientSecret;
        /** STAGE or PRODUCTION; required. */
        private String environment;
        /** The static Authorization header value Avarda is configured to send, if any. */
        private String authorization;
        /** The API's base URI instead of the environment's (a proxy, or a fake in tests). */
        private java.net.URI apiBaseUri;

        public String getClientId() {
            return clientId;
        }

        public void setClientId(String clientId) {
            this.clientId = clientId;
        }

        public String getClientSecret() {
            return clientSecret;
        }

        public void setClientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
        }

        public String getEnvironment() {
            return environment;
        }

        public void setEnvironment(String environment) {
            this.environment = environment;
        }

        public String getAuthorization() {
            return authorization;
        }

        public void setAuthorization(String authorization) {
            this.authorization = authorization;
        }

        public java.net.URI getApiBaseUri() {
            return apiBaseUri;
        }

        public void setApiBaseUri(java.net.URI apiBaseUri) {
            this.apiBaseUri = apiBaseUri;
        }
    }
}
