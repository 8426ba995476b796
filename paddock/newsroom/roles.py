"""What each role may do in the newsroom: write and publish pages, use images and documents,
keep the people, makes, models, tags and redirects behind the articles.

Contributors add pages (drafts they submit to the "Editors' approval" workflow); Editors
publish anything. Moderators get no page permission at all (paddock.core.roles says why).
Administrators hold every model permission already; their page and collection permissions are
granted here.
"""

from __future__ import annotations

from paddock.core.roles import (
    ADMINISTRATORS,
    CONTRIBUTORS,
    EDITORS,
    grant,
    grant_collections,
    grant_pages,
)

grant(CONTRIBUTORS, "wagtailadmin.access_admin")
grant_pages(CONTRIBUTORS, "wagtailcore.add_page")
grant_collections(
    CONTRIBUTORS,
    "wagtailimages.add_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.choose_document",
)

grant(
    EDITORS,
    "wagtailadmin.access_admin",
    *(
        f"newsroom.{action}_{model}"
        for model in ("contributor", "make", "vehiclemodel")
        for action in ("add", "change", "delete", "view")
    ),
    "taggit.add_tag",
    "taggit.change_tag",
    "taggit.delete_tag",
    "wagtailredirects.add_redirect",
    "wagtailredirects.change_redirect",
    "wagtailredirects.delete_redirect",
)
grant_pages(
    EDITORS,
    "wagtailcore.add_page",
    "wagtailcore.change_page",
    "wagtailcore.publish_page",
    "wagtailcore.lock_page",
    "wagtailcore.unlock_page",
)
grant_collections(
    EDITORS,
    *(
        f"{app}.{action}_{kind}"
        for app, kind in (("wagtailimages", "image"), ("wagtaildocs", "document"))
        for action in ("add", "change", "delete", "choose")
    ),
)

grant_pages(
    ADMINISTRATORS,
    "wagtailcore.add_page",
    "wagtailcore.change_page",
    "wagtailcore.publish_page",
    "wagtailcore.bulk_delete_page",
    "wagtailcore.lock_page",
    "wagtailcore.unlock_page",
)
grant_collections(
    ADMINISTRATORS,
    *(
        f"{app}.{action}_{kind}"
        for app, kind in (("wagtailimages", "image"), ("wagtaildocs", "document"))
        for action in ("add", "change", "delete", "choose")
    ),
)
