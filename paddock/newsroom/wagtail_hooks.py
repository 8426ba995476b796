"""Admin registration: contributors and vehicles are snippets editors manage beside the pages."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from paddock.core import pagecache

from .models import Contributor, Make, VehicleModel

# The masthead, bylines and vehicle pages show these: an editor's change in the admin's snippet
# views makes every page stale (code writes them through services.py, which says so itself).
SITE_SNIPPETS = (Contributor, Make, VehicleModel)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def _snippet_saved(request, instance) -> None:
    if isinstance(instance, SITE_SNIPPETS):
        pagecache.invalidate("site")


@hooks.register("after_delete_snippet")
def _snippets_deleted(request, instances) -> None:
    if any(isinstance(instance, SITE_SNIPPETS) for instance in instances):
        pagecache.invalidate("site")


class ContributorViewSet(SnippetViewSet):
    model = Contributor
    icon = "user"
    menu_label = "Contributors"
    list_display = ["display_name", "country", "user"]
    search_fields = ["display_name"]


class MakeViewSet(SnippetViewSet):
    model = Make
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class VehicleModelViewSet(SnippetViewSet):
    model = VehicleModel
    icon = "tag"
    list_display = ["name", "make"]
    list_filter = ["make"]
    search_fields = ["name"]


class VehiclesGroup(SnippetViewSetGroup):
    menu_label = "Vehicles"
    menu_icon = "site"
    items = (MakeViewSet, VehicleModelViewSet)


register_snippet(ContributorViewSet)
register_snippet(VehiclesGroup)
