package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleDescriptor.Requires;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shipped module-info: module dev.zeropool exports only dev.zeropool and needs nothing outside the JDK. */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyThePublicPackageAndRequiresOnlyTheJdkOrOptionalModules() throws Exception {
        // Read from where BufferPool was loaded (target/classes or the jar), not the first module-info on the path.
        Path location = Path.of(BufferPool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor = ModuleFinder.of(location).findAll().iterator().next().descriptor();
        assertThat(descriptor.name()).isEqualTo("dev.zeropool");
        assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.zeropool");
        assertThat(descriptor.requires().stream()
                .filter(r -> !r.modifiers().contains(Requires.Modifier.STATIC))
                .map(Requires::name).collect(Collectors.toSet()))
                .allSatisfy(name -> assertThat(name).startsWith("java."));
    }
}
