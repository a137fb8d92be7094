package dev.zeropool.sample;

import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.WebRequest;

/**
 * Boot's error attributes, plus the reason when an upload's body did not arrive whole. Tomcat answers a
 * failed body read with its own 400 before {@link ProblemResponses} can, so that answer is rendered by
 * Boot's error page, which shows no exception message by default; this one message says only what the
 * client sent, so it is safe to show.
 */
@Component
class UploadErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Map<String, Object> attributes = super.getErrorAttributes(request, options);
        if (getError(request) instanceof IncompleteUploadException incomplete) {
            attributes.put("detail", incomplete.getMessage());
        }
        return attributes;
    }
}
