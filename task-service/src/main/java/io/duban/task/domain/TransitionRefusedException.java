package io.duban.task.domain;

import io.duban.common.problem.Messages;
import io.duban.common.problem.ProblemException;

/** The current state does not allow the action: 409 `state-conflict`, naming both, and nothing changes. */
public class TransitionRefusedException extends ProblemException {

    private final String state;
    private final String action;

    public TransitionRefusedException(Enum<?> state, Enum<?> action) {
        super(409, "state-conflict", new Messages.Key("action." + action.name()),
                new Messages.Key("state." + state.name()));
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
