from django.urls import path

from core import files, options, registries, todo, views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("todo/<slug:slug>/<slug:key>/", todo.TodoListView.as_view(), name="todo"),
    path("units/", views.RecordListView.as_view(record_type=registries.UNITS), name="unit_list"),
    path("units/add/", views.RecordFormView.as_view(record_type=registries.UNITS), name="unit_add"),
    path("units/import/", views.RecordImportView.as_view(record_type=registries.UNITS), name="unit_import"),
    path(
        "units/import/template/",
        views.RecordImportTemplateView.as_view(record_type=registries.UNITS),
        name="unit_import_template",
    ),
    path("units/<int:pk>/edit/", views.RecordFormView.as_view(record_type=registries.UNITS), name="unit_edit"),
    path("units/<str:key>/", views.UnitPageView.as_view(), name="unit"),
    path("jobs/<int:pk>/", views.JobView.as_view(), name="job"),
    path("jobs/<int:pk>/download/", views.JobDownloadView.as_view(), name="job_download"),
    path("files/<slug:kind>/<int:pk>/", files.FileView.as_view(), name="file"),
    path("options/<slug:source>/", options.OptionsView.as_view(), name="options"),
    *views.record_urls(registries.DECLARED_FIGURES),
    *views.record_urls(registries.COUNTRIES),
    *views.record_urls(registries.FOREIGN_SUBDIVISIONS),
    *views.record_urls(registries.FIELDS),
    *views.record_urls(registries.CURRENCIES),
]
