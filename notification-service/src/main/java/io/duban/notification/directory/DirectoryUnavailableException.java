package io.duban.notification.directory;

/** The directory could not be read (task-service down, an error answer): the delivery tries again later. */
public class DirectoryUnavailableException extends RuntimeException {

    public DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
