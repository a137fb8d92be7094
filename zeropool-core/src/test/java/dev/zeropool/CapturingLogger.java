package dev.zeropool;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A System.Logger that keeps every line (level, message, and the thrown's message) for assertions. */
final class CapturingLogger implements System.Logger {

    /** One logged line. */
    record Line(Level level, String message, Throwable thrown) {
    }

    final List<Line> lines = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
        return "capture";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        lines.add(new Line(level, message, thrown));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        lines.add(new Line(level, params == null ? format : MessageFormat.format(format, params), null));
    }
}
