"""The files of the agreements app's records, served through the policy of the record that owns them (core.files)."""

from agreements.models import AgreementDocument
from core.files import ServedFile, serve

# A document belongs to the agreement's file: whoever may view the agreement may download it.
AGREEMENT_DOCUMENTS = serve(ServedFile("agreement-documents", AgreementDocument, "file", owner="agreement"))
