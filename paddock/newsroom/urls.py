from django.urls import path, re_path

from paddock.core.pagecache import FEED_TAGS, public

from . import feeds, views

feed = public(*FEED_TAGS)

app_name = "newsroom"

urlpatterns = [
    # Tag slugs keep their letters (taggit slugifies with allow_unicode), so "électrique" and
    # "Škoda" need a pattern wider than <slug:>, or reversing their URLs fails.
    re_path(r"^tags/(?P<slug>[-\w]+)/$", views.tag_detail, name="tag"),
    path("makes/<slug:slug>/", views.make_detail, name="make"),
    path("makes/<slug:make_slug>/<slug:slug>/", views.vehicle_model_detail, name="vehicle_model"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("archive/<int:year>/", views.archive, name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.archive, name="archive_month"),
    path("contributors/", views.contributors, name="contributors"),
    path("moderators/", views.moderators, name="moderators"),
    path("search/", views.search, name="search"),
    path("feeds/rss/", feed(feeds.LatestArticlesFeed()), name="feed_rss"),
    path("feeds/atom/", feed(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path("feeds/sections/<slug:slug>/rss/", feed(feeds.SectionFeed()), name="section_feed_rss"),
    path(
        "feeds/sections/<slug:slug>/atom/", feed(feeds.SectionAtomFeed()), name="section_feed_atom"
    ),
    path("feeds/authors/<slug:slug>/rss/", feed(feeds.AuthorFeed()), name="author_feed_rss"),
    path("feeds/authors/<slug:slug>/atom/", feed(feeds.AuthorAtomFeed()), name="author_feed_atom"),
]
