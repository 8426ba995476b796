"""What accounts let the layers above them add, without knowing them.

Accounts sit below the discussion: a reader's comments and votes point at their account, and
their name and avatar show beside each comment, yet accounts never import comments. These
signals, sent by paddock/accounts/services.py (the one writer of profiles and accounts), are
where the layers above act; paddock/comments/receivers.py registers on them.

- `PROFILE_CONTEXT_HOOK`, a Wagtail hook: `fn(profile, request) -> dict` adds to the context
  of a reader's public page (paddock/accounts/views.py `profile`).
- `PERSONAL_DATA_HOOK`, a Wagtail hook: `fn(user, emails) -> dict[str, object]` adds its
  sections to the copy of everything Paddock holds about a reader that they download from
  their account page (paddock/accounts/personal_data.py). `emails` are the reader's verified
  addresses, the only ones that may find records kept by address (a quote request, a
  newsletter sign-up): anyone can add an unverified address to their account. A section's
  value is a dict, or an iterable of dicts read lazily (a queryset's `.iterator()`), in one
  query however long it is; dates may stay datetimes.
- `account_deleting(sender=User, user, delete_comments)`: inside the deletion's transaction,
  before the account is emptied; a receiver detaches what it keeps of the account (and with
  `delete_comments`, blanks the text). A receiver that raises rolls the deletion back.
- `profile_shown_changed(sender=Profile, user_id)`: inside the transaction that changed what
  readers see of someone (their display name, country or avatar).
"""

from __future__ import annotations

from django.dispatch import Signal

PROFILE_CONTEXT_HOOK = "paddock_reader_profile_context"
PERSONAL_DATA_HOOK = "paddock_personal_data"

account_deleting = Signal()
profile_shown_changed = Signal()
