"""Form data a test posts to an agreement's edit page."""


def edit_with_document(agreement, upload=None, *, attested: bool = True) -> dict:
    """The edit form of ``agreement`` as saved, with one new document row holding ``upload`` (a file, or none)
    and its attestation that the file holds no state secret (or not)."""
    data = {
        "owner": agreement.owner_id,
        "title": agreement.title,
        "kind": "agreement",
        "signatory_level": "provincial",
        "partners": [p.pk for p in agreement.partners.all()],
        "relationship_effect": "establishes",
        "signed_precision": "day",
        "version": agreement.version,
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "evaluations-TOTAL_FORMS": "0",
        "evaluations-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-0-kind": "draft",
        "documents-0-title": "Dự thảo",
    }
    if upload is not None:
        data["documents-0-file"] = upload
    if attested:
        data["documents-0-attest_not_secret"] = "on"  # noqa: S105 - a checkbox, not a password
    return data
