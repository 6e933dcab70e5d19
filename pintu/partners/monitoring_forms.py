"""The forms of monitoring and partner satisfaction: opening an agreement's monitoring
form for a year, filling it in (the aspects per department), sending the survey, and
the partner's answer. They check and convert; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from pintu.org.models import Unit
from pintu.partners import selectors
from pintu.partners.forms import Form
from pintu.partners.models import (
    QUESTIONS,
    Activity,
    Agreement,
    Aspect,
    Monitoring,
    Partner,
    PartnerContact,
    SatisfactionSurvey,
)
from pintu.partners.services.monitoring import Judgement


def _years(this_year: int) -> list[tuple[int, str]]:
    # Five years back: as long as the records are kept (PR.KS, 4. Penyimpanan Data).
    return [(year, str(year)) for year in range(this_year, this_year - 6, -1)]


class YearForm(Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args: Any, this_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _years(this_year)
        field.initial = this_year


class OpenForm(Form):
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.all())
    year = forms.IntegerField(min_value=2000, max_value=2100)


class ActivitiesField(forms.ModelMultipleChoiceField[Activity]):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Activity) -> str:
        held = obj.held_on.strftime("%d-%m-%Y") if obj.held_on else ""
        return f"{obj.ticket.reference} · {held} · {obj.title}"


class SurveyChoice(forms.ModelChoiceField[SatisfactionSurvey]):
    def label_from_instance(self, obj: SatisfactionSurvey) -> str:
        average = obj.average or 0
        assert obj.answered_at is not None  # only answered surveys are offered
        return f"{obj.partner} · {obj.answered_at.date().isoformat()} · {average:.1f}/5"


class MonitoringForm(Form):
    """BO.28.1.2: the activities carried out, their outputs and benefits, and for every
    department involved the three aspects of B.1.15.8, each met only with evidence."""

    activities = ActivitiesField(
        label=_("Activities carried out"),
        queryset=Activity.objects.none(),
        required=False,
        help_text=_("The activities held under the agreement this year, from their records."),
    )
    outputs = forms.CharField(
        label=_("Outputs"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    benefits = forms.CharField(
        label=_("Benefits"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, monitoring: Monitoring, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.monitoring = monitoring
        candidates = selectors.monitoring_candidates(monitoring.agreement, monitoring.year)
        activities = self.fields["activities"]
        assert isinstance(activities, ActivitiesField)
        activities.queryset = candidates
        self.departments = selectors.monitoring_departments(monitoring)
        surveys = selectors.surveys_of(year=monitoring.year).filter(
            answered_at__isnull=False, partner__in=monitoring.agreement.partners.all()
        )
        kept = {(a.department_id, a.aspect): a for a in monitoring.assessments.all()}
        if not self.is_bound:
            self.initial.update(
                activities=list(monitoring.activities.all()),
                outputs=monitoring.outputs,
                benefits=monitoring.benefits,
            )
        for unit in self.departments:
            for aspect in Aspect:
                before = kept.get((unit.pk, aspect))
                self.fields[self._key("met", unit, aspect)] = forms.BooleanField(
                    label=_("Met"), required=False, initial=bool(before and before.met)
                )
                self.fields[self._key("evidence", unit, aspect)] = forms.CharField(
                    label=_("Evidence"),
                    required=False,
                    initial=before.evidence if before else "",
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            before = kept.get((unit.pk, Aspect.SATISFACTION))
            self.fields[self._key("survey", unit, Aspect.SATISFACTION)] = SurveyChoice(
                label=_("Partner survey answer"),
                queryset=surveys,
                required=False,
                empty_label=_("None cited"),
                initial=before.survey_id if before else None,
            )

    @staticmethod
    def _key(what: str, unit: Unit, aspect: Aspect) -> str:
        return f"{what}-{unit.code}-{aspect.value}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for unit in self.departments:
            for aspect in Aspect:
                evidence = cleaned.get(self._key("evidence", unit, aspect), "").strip()
                survey = cleaned.get(self._key("survey", unit, aspect))
                if cleaned.get(self._key("met", unit, aspect)) and not (evidence or survey):
                    self.add_error(
                        self._key("evidence", unit, aspect),
                        _("%(department)s, %(aspect)s: give the evidence that it is met.")
                        % {"department": unit.code, "aspect": aspect.label},
                    )
        return cleaned

    def rows(self) -> list[tuple[Unit, list[dict[str, Any]]]]:
        """The aspect fields per department, as the template lays them out."""
        laid_out = []
        for unit in self.departments:
            aspects = []
            for aspect in Aspect:
                survey: BoundField | None = None
                if aspect == Aspect.SATISFACTION:
                    survey = self[self._key("survey", unit, aspect)]
                aspects.append(
                    {
                        "aspect": aspect,
                        "met": self[self._key("met", unit, aspect)],
                        "evidence": self[self._key("evidence", unit, aspect)],
                        "survey": survey,
                    }
                )
            laid_out.append((unit, aspects))
        return laid_out

    def judgements(self) -> list[Judgement]:
        cleaned = self.cleaned_data
        return [
            Judgement(
                department=unit,
                aspect=aspect,
                met=bool(cleaned.get(self._key("met", unit, aspect))),
                evidence=cleaned.get(self._key("evidence", unit, aspect), ""),
                survey=cleaned.get(self._key("survey", unit, aspect)),
            )
            for unit in self.departments
            for aspect in Aspect
        ]


class SurveySendForm(Form):
    contact = forms.ModelChoiceField(
        label=_("Send to"), queryset=PartnerContact.objects.none(), empty_label=None
    )
    agreement = forms.ModelChoiceField(
        label=_("Agreement"),
        queryset=Agreement.objects.none(),
        required=False,
        empty_label=_("The cooperation as a whole"),
    )
    year = forms.TypedChoiceField(label=_("Year of the cooperation"), coerce=int)

    def __init__(self, *args: Any, partner: Partner, this_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contact = self.fields["contact"]
        agreement = self.fields["agreement"]
        year = self.fields["year"]
        assert isinstance(contact, forms.ModelChoiceField)
        assert isinstance(agreement, forms.ModelChoiceField)
        assert isinstance(year, forms.ChoiceField)
        contact.queryset = partner.contacts.all()
        agreement.queryset = partner.agreements.order_by("-starts_on", "-id")
        year.choices = _years(this_year)
        year.initial = this_year


SCORES = (
    (1, _("Very poor")),
    (2, _("Poor")),
    (3, _("Fair")),
    (4, _("Good")),
    (5, _("Very good")),
)


class SurveyAnswerForm(Form):
    """The partner's answer: every question rated from 1 to 5, a comment if they like."""

    comment = forms.CharField(
        label=_("Comment or suggestion"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, words in QUESTIONS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=words,
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a rating from 1 to 5.")},
            )
        self.order_fields([*QUESTIONS, "comment"])

    def questions(self) -> list[BoundField]:
        return [self[name] for name in QUESTIONS]

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in QUESTIONS}
