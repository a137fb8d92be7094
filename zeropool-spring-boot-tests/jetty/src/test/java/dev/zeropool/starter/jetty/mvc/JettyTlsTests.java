package dev.zeropool.starter.jetty.mvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zeropool.jetty.ZeroPoolByteBufferPool;
import dev.zeropool.starter.jetty.JettyApps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * HTTPS ({@code server.ssl.*}): Boot builds its TLS connector as a subclass of ServerConnector, which the
 * rebuild puts on the ZeroPool pools too, keeping what that subclass adds (a key alias the keystore lacks
 * fails the start). A real keystore (keytool) and real HTTPS requests.
 */
class JettyTlsTests {

    @TempDir
    static Path dir;

    static Path keystore;

    @BeforeAll
    static void keystore() throws Exception {
        keystore = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process run = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize",
                "2048", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", "secret1", "-keypass", "secret1").inheritIO().start();
        assertThat(run.waitFor()).isZero();
    }

    private static SpringApplicationBuilder app(String alias, String... more) {
        return new SpringApplicationBuilder(MvcApplication.class)
                .properties("server.port=0", "spring.jmx.enabled=false", "zeropool.jetty.enabled=true",
                        "server.ssl.enabled=true", "server.ssl.key-store=file:" + keystore,
                        "server.ssl.key-store-password=secret1", "server.ssl.key-store-type=PKCS12",
                        "server.ssl.key-alias=" + alias)
                .properties(more);
    }

    /** Trusts the test's self-signed certificate. */
    private static HttpClient client() throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm(null);
        return HttpClient.newBuilder().sslContext(ssl).sslParameters(parameters).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Test
    void httpsIsServedFromTheZeroPoolPools() throws Exception {
        try (ConfigurableApplicationContext context = app("server").run()) {
            assertThat(JettyApps.connectorPool(context)).isInstanceOf(ZeroPoolByteBufferPool.class);
            HttpResponse<byte[]> response = client().send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + JettyApps.port(context) + "/blob/100000/7")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).hasSize(100000);
        }
    }

    @Test
    void aKeyAliasTheKeystoreLacksFailsTheStartAsWithoutZeroPool() {
        assertThatThrownBy(() -> app("nosuchalias", "zeropool.jetty.enabled=false").run().close())
                .as("Boot's own check").hasStackTraceContaining("nosuchalias");
        assertThatThrownBy(() -> app("nosuchalias").run().close()).hasStackTraceContaining("nosuchalias");
    }
}
