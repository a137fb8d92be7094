package dev.zeropool.sample;

import dev.zeropool.safetensors.SafetensorsFormatException;
import java.nio.file.NoSuchFileException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
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
    ResponseEntity<ProblemDetail> missing(NoSuchFileException e) {
        return problem(HttpStatus.NOT_FOUND, "no such file");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> tooLarge(FileTooLargeException e) {
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notSafetensors(SafetensorsFormatException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
