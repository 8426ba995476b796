"""What accounts let the layers above them add, without knowing them.

Accounts sit below the discussion: a reader's comments and votes point at their account, and
their name and avatar show beside each comment, yet accounts never import comments. These
signals, sent by paddock/accounts/services.py (the one writer of profiles and accounts), are
where the layers above act; paddock/comments/receivers.py registers on them.

- `PROFILE_CONTEXT_HOOK`, a Wagtail hook: `fn(profile, request) -> dict` adds to the context
  of a reader's public page (paddock/accounts/views.py `profile`).
- `account_deleting(sender=User, user, delete_comments)`: inside the deletion's transaction,
  before the account is emptied; a receiver detaches what it keeps of the account (and with
  `delete_comments`, blanks the text). A receiver that raises rolls the deletion back.
- `profile_shown_changed(sender=Profile, user_id)`: inside the transaction that changed what
  readers see of someone (their display name, country or avatar).
"""

from __future__ import annotations

from django.dispatch import Signal

PROFILE_CONTEXT_HOOK = "paddock_reader_profile_context"

account_deleting = Signal()
profile_shown_changed = Signal()
