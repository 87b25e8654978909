"""The files of the partners app's records, served through the policy of the record that owns them (core.files)."""

from core.files import ServedFile, serve
from partners.models import Interaction

# An interaction owns its attachment: whoever may view the interaction may download it.
INTERACTION_ATTACHMENTS = serve(ServedFile("interaction-attachments", Interaction, "attachment"))
