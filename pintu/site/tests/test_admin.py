"""The admin site speaks the page's language: every model and field name of Pintu's
apps is translated."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pintu.conftest import Personas

APPS = (
    "core",
    "org",
    "sop",
    "desk",
    "outbox",
    "doors",
    "vault",
    "identity",
    "records",
    "site",
    "elearning",
    "media",
    "partners",
)
# Words that Indonesian writes as English does.
SAME_IN_BOTH = {
    "unit",
    "target",
    "parameter",
    "folder",
    "status",
    "e-mail",
    "SOP",
    "KPI",
    "SHA-256",
    "agenda",
    "token",
    "NIM/NIP/NIK",
}


def names(model: type[models.Model]) -> list[tuple[str, Any]]:
    meta = model._meta
    found = [("model", meta.verbose_name), ("models", meta.verbose_name_plural)]
    for field in meta.get_fields():
        if field.concrete and not field.auto_created:
            found.append((field.name, field.verbose_name))
    return found


@pytest.mark.parametrize(
    "model",
    [model for label in APPS for model in apps.get_app_config(label).get_models()],
    ids=lambda model: model._meta.label,
)
def test_every_model_and_field_name_is_in_indonesian(model: type[models.Model]) -> None:
    untranslated = []
    for where, name in names(model):
        with translation.override("en"):
            english = str(name)
        with translation.override("id"):
            indonesian = str(name)
        if indonesian == english and english not in SAME_IN_BOTH:
            untranslated.append(f"{where}: {english}")
    assert not untranslated, f"{model._meta.label} has names in English only"


@pytest.mark.django_db
def test_the_admin_site_shows_indonesian_names(client: Client, personas: Personas) -> None:
    client.force_login(personas.admin)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Inti Pintu" in index and "Pintu core" not in index
    changelist = client.get(reverse("admin:core_auditevent_changelist")).content.decode()
    assert "Objek" in changelist or "objek" in changelist
    assert "Object repr" not in changelist
