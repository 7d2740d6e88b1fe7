package io.duban.task.domain;

/** The current state does not allow the action; the caller answers 409 and changes nothing. */
public class TransitionRefusedException extends RuntimeException {

    private final String state;
    private final String action;

    public TransitionRefusedException(Enum<?> state, Enum<?> action) {
        super(action + " is not allowed in state " + state);
        this.state = state.name();
        this.action = action.name();
    }

    public String state() {
        return state;
    }

    public String action() {
        return action;
    }
}
