package dev.oauthbroker.provider;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the {@code http} component reaches providers: connections whose sockets keep to a total
 * deadline per call ({@link ProviderCallDeadline}, connect + read timeout of
 * {@code broker.http.*}), armed by an execution interceptor when each call starts. Referenced in
 * application.yaml as the component's {@code client-connection-manager} and
 * {@code http-client-configurer}.
 */
@Configuration(proxyBeanMethods = false)
public class ProviderHttpConfiguration {

    @Bean(destroyMethod = "close")
    HttpClientConnectionManager providerConnections(@Value("${broker.http.connect-timeout}") long connectTimeout,
                                                    @Value("${broker.http.read-timeout}") long readTimeout) {
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManagerBuilder() {
            @Override
            protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver ports, DnsResolver dns,
                                                                            TlsSocketStrategy tls) {
                // plain sockets that keep the call's deadline; TLS is layered on them, so it keeps it too
                return new DefaultHttpClientConnectionOperator(ProviderCallDeadline.DeadlineSocket::new, ports, dns,
                        RegistryBuilder.<TlsSocketStrategy>create().register("https", tls).build());
            }
        }.setTlsSocketStrategy(DefaultClientTlsStrategy.createSystemDefault()).build();
        connections.setMaxTotal(200);
        connections.setDefaultMaxPerRoute(50);
        connections.setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofMilliseconds(connectTimeout))
                .setSocketTimeout(Timeout.ofMilliseconds(readTimeout))
                // a pooled connection idle for a second is checked before reuse: a provider that
                // closed it must not cost a refresh attempt (automatic retries are off)
                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                .build());
        return connections;
    }

    @Bean
    HttpClientConfigurer providerCallDeadlines(@Value("${broker.http.connect-timeout}") long connectTimeout,
                                               @Value("${broker.http.read-timeout}") long readTimeout) {
        // first in the execution chain: armed before a pooled connection is leased and checked
        return builder -> builder.addExecInterceptorFirst("provider-call-deadline", (request, scope, chain) -> {
            ProviderCallDeadline.arm(connectTimeout + readTimeout);
            return chain.proceed(request, scope);
        });
    }
}
