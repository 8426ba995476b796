"""What moderation tells the layers above it (notifications), without knowing them. Both are
sent inside the writing transaction, by the one module that writes:

- `notice_sent(sender=Notice, notice)`: a reader was sent a notice about their comment
  (services.notice_send: held, rejected, let through, hidden by reports);
- `comment_featured(sender=Comment, comment, by)`: an editor or moderator (`by`) featured a
  reader's comment (actions/comment_feature.py).
"""

from django.dispatch import Signal

notice_sent = Signal()
comment_featured = Signal()
