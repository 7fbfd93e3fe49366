import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murojaat.settings")
application = get_wsgi_application()

# Django imports the URLconf, and with it every app's views (the assistants' scikit-learn
# among them), on the first request a process serves: 3 s of a user's time per worker under
# load (issue 9, bench/load.py). Here it happens when the worker starts.
preloaded = get_resolver().url_patterns
