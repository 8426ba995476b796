"""Admin registration: contributors and vehicles are snippets editors manage beside the pages."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Contributor, Make, VehicleModel


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
