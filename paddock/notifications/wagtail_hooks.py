from wagtail import hooks

from paddock.accounts.hooks import PERSONAL_DATA_HOOK

from . import selectors

# What a reader downloads of their own: what they were told.
hooks.register(PERSONAL_DATA_HOOK, selectors.personal_data)
