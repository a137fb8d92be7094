package dev.zeropool.sample;

import dev.zeropool.safetensors.SafetensorsFormatException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The refusals of every endpoint of the sample, as RFC 9457 problem details, so both controllers say the same. */
@RestControllerAdvice
class ProblemResponses {

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidName(InvalidFileNameException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> incompleteUpload(IncompleteUploadException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> missing(NoSuchFileException e) {
        return problem(HttpStatus.NOT_FOUND, "no such file");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> taken(NameTakenException e) {
        return problem(HttpStatus.CONFLICT, e.getMessage());
    }

    /*
     * The rest of an oversize body is never read, so the connection cannot carry another request: say so
     * (RFC 9110, 15.5.14). Tomcat closes it anyway; Jetty, told nothing, aborted the response mid-way while
     * the client was still sending.
     */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> tooLarge(FileTooLargeException e) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).header(HttpHeaders.CONNECTION, "close")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage()));
    }

    /*
     * Spring's own 415 names the refused type but not the accepted ones (only in an Accept header); a
     * client that sent a form by default needs to read what to send instead.
     */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> unsupportedType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        List<MediaType> accepted = e.getSupportedMediaTypes();
        String names = accepted.stream().map(MediaType::toString).collect(Collectors.joining(", "));
        // Spring matches a request without a Content-Type as application/octet-stream.
        String orNone = accepted.contains(MediaType.APPLICATION_OCTET_STREAM) ? ", or no Content-Type" : "";
        String detail = "Content-Type '" + request.getContentType() + "' is not accepted; send the body as "
                + names + orNone;
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).headers(headers -> headers.setAccept(accepted))
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, detail));
    }

    /* Spring's own 405 is its error JSON, not a problem; say which methods the resource takes, as Allow does. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        String allowed = e.getSupportedHttpMethods() == null ? ""
                : e.getSupportedHttpMethods().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        String detail = "method " + e.getMethod() + " is not supported here"
                + (allowed.isEmpty() ? "" : "; use " + allowed);
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).headers(e.getHeaders())
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.METHOD_NOT_ALLOWED, detail));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notSafetensors(SafetensorsFormatException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> tensorTooLarge(TensorTooLargeException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> modelTooLarge(ModelTooLargeException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }

    /*
     * Spring's own 406 has an empty body. The problem is written as application/problem+json all the same
     * (Spring falls back on it for a ProblemDetail the client's Accept rules out), naming what can be sent.
     */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        String offered = e.getSupportedMediaTypes().stream().map(MediaType::toString).collect(Collectors.joining(", "));
        String detail = "Accept '" + request.getHeader(HttpHeaders.ACCEPT) + "' rules out every answer this resource "
                + "gives; accept " + offered;
        return problem(HttpStatus.NOT_ACCEPTABLE, detail);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
