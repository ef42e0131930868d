package dev.oauthbroker.check;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.SimpleBeanDefinitionRegistry;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.util.ClassUtils;

/**
 * The service's beans by name — its components and {@code @Bean} methods, found on the class path
 * as Spring would name them — without creating any: what a route's {@code ref:} may name, and the
 * public methods its {@code method:} may call.
 */
final class ServiceBeans {

    private final Map<String, Class<?>> types = new HashMap<>();

    ServiceBeans(String basePackage) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(true);
        SimpleBeanDefinitionRegistry registry = new SimpleBeanDefinitionRegistry();
        for (BeanDefinition definition : scanner.findCandidateComponents(basePackage)) {
            Class<?> type = ClassUtils.resolveClassName(definition.getBeanClassName(), getClass().getClassLoader());
            types.put(AnnotationBeanNameGenerator.INSTANCE.generateBeanName(definition, registry), type);
            for (Method method : type.getDeclaredMethods()) {
                Bean bean = method.getAnnotation(Bean.class);
                if (bean != null) {
                    String[] names = bean.name().length > 0 ? bean.name() : new String[] {method.getName()};
                    Arrays.stream(names).forEach(name -> types.put(name, method.getReturnType()));
                }
            }
        }
    }

    java.util.Set<String> names() {
        return types.keySet();
    }

    Optional<Class<?>> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** Whether the bean's type has a public method of that name (Camel picks among overloads by binding). */
    static boolean hasMethod(Class<?> type, String name) {
        return Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals(name) && Modifier.isPublic(m.getModifiers()));
    }
}
