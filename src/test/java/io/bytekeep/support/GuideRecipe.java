package io.bytekeep.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recipe of docs/INTEGRATING.md: the edit of one file, as the text to find and the text to put in its place, taken
 * word for word from the guide's blocks {@code ```yaml recipe=<name> file=<file> find} and
 * {@code ```yaml recipe=<name> replace}.
 */
public record GuideRecipe(String file, String find, String replace) {

    public static final Path GUIDE = Path.of("docs", "INTEGRATING.md");

    /** The recipe of that name; fails the test when the guide has not both blocks. */
    public static GuideRecipe named(String name) throws IOException {
        String guide = Files.readString(GUIDE);
        Matcher find = Pattern.compile("```yaml recipe=" + name + " file=(\\S+) find\n(.*?)```", Pattern.DOTALL).matcher(guide);
        Matcher replace = Pattern.compile("```yaml recipe=" + name + " replace\n(.*?)```", Pattern.DOTALL).matcher(guide);
        assertThat(find.find()).as("recipe " + name + " has a find block").isTrue();
        assertThat(replace.find()).as("recipe " + name + " has a replace block").isTrue();
        return new GuideRecipe(find.group(1), find.group(2), replace.group(1));
    }

    /** The text with the edit made; fails the test when the text has nothing to find. */
    public String appliedTo(String text) {
        assertThat(text).as("the text the recipe finds in " + file).contains(find);
        return text.replace(find, replace);
    }
}
