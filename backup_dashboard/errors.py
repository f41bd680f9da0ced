"""The one exception for input a user must change.

Raised by the domain (a schedule's fields, its timing) and caught by the
forms, which show the message beside the field it names. The message is
written for the person at the dashboard and states the limit that was
crossed; nothing is ever stored in its place.
"""


class InputError(ValueError):
    """Bad input; the message is meant for the user, `field` names where."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field
