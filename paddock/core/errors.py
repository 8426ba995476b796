"""The one error every app raises when it refuses an action.

A service checks first (who may do it, to what, with what input) and raises `Refused` with a
message for the person and the HTTP status that fits; views only turn it into a response. Apps
subclass it when their refusals carry more (comments' `CommentError` says when verifying an
email address would help), never to change its meaning.
"""

from __future__ import annotations


class Refused(Exception):
    """An action that cannot be carried out, with a message for the person who asked."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status
