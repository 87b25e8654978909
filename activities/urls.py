from activities import registries  # noqa: F401 - the record types are registered before their URLs are listed
from core.views import app_record_urls

app_name = "activities"

urlpatterns = [*app_record_urls(app_name)]
