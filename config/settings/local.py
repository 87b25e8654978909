"""Settings for ``make run`` on a developer's or an office's own machine."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A local secret is generated once by ``make run`` into var/secret_key; none is fixed in code.
_secret_file = BASE_DIR / "var" / "secret_key"
SECRET_KEY = env("DJANGO_SECRET_KEY", default="") or (_secret_file.read_text().strip() if _secret_file.exists() else "")
if not SECRET_KEY:
    from django.core.management.utils import get_random_secret_key

    _secret_file.parent.mkdir(parents=True, exist_ok=True)
    SECRET_KEY = get_random_secret_key()
    _secret_file.write_text(SECRET_KEY)
    _secret_file.chmod(0o600)
# Two-factor is still offered locally but not forced, so that the demo accounts can log in.
TWO_FACTOR_REQUIRED_FOR_ADMINS = env.bool("DJANGO_2FA_REQUIRED_FOR_ADMINS", default=False)
