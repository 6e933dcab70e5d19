"""Read one SOP definition file (YAML) into a validated ``Definition``.

Pure: no ORM, no clock. The YAML is composed into nodes (which keep their line numbers)
and checked node by node, so that every problem surfaces as one ``DefinitionError`` line
naming the file, the line and the field, e.g.
``PR.33.8.yaml:42: kpis[3].code: required field is missing``. List positions in field
paths count from 0.

Durations, KPI targets and the measures a KPI may name are ``pintu.sop.grammar``'s.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from typing import Any, NoReturn, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from pintu.sop.definition import (
    CLOCKS,
    RETENTION_RE,
    Activity,
    Branch,
    Definition,
    Field,
    Kpi,
    Measure,
    Record,
    Role,
    Service,
)
from pintu.sop.grammar import (
    DURATION_HINT,
    KNOWN_MEASURES,
    TARGET_EXAMPLES,
    parse_duration,
    parse_percent,
    parse_seconds,
    parse_target,
)
from pintu.sop.nodes import (
    NULL,
    STR,
    TIMESTAMP,
    DefinitionError,
    NodeReader,
    join_path,
    kind_of,
    line_of,
)

SOP_CODE_RE = re.compile(r"^[A-Z][A-Za-z0-9]*([.-][A-Za-z0-9]+)*$")
KPI_CODE_RE = re.compile(r"^[A-Z](\.[0-9]+)+(\.[a-z])?$")
# Keys become URL slugs and form field names.
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
FIELD_TYPES = ("text", "textarea", "choice", "date", "email", "number")

# Column sizes of pintu.sop.models, checked here so that a long text fails with its line
# instead of as a database error halfway through a load.
MAX_SOP_CODE = 64
MAX_VERSION = 32
MAX_TITLE = 300
MAX_KEY = 64
MAX_NAME = 200
MAX_OUTPUT = 300
MAX_KPI_CODE = 32
MAX_TARGET = 64

_T = TypeVar("_T")


_TOP_REQUIRED = (
    "code", "version", "title", "unit", "approved_by", "effective",
    "purpose", "scope", "roles", "services", "activities", "kpis", "records",
)  # fmt: skip
_TOP_OPTIONAL = (
    "institution", "warning", "definitions", "legal_basis", "equipment",
    "qualifications", "related", "linked_sops", "supporting_documents", "requester_roles",
    "owner", "gaps",
)  # fmt: skip


def parse_definition(
    text: str, file: str, *, known_units: Collection[str] | None = None
) -> Definition:
    """Validate ``text`` (the YAML of ``file``) and build its ``Definition``.

    ``known_units``, when given, are the unit codes the ``unit`` field may name.
    Raises ``DefinitionError`` at the first problem.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "not valid YAML"
        raise DefinitionError(
            file, mark.line + 1 if mark else 1, "", f"invalid YAML: {problem}"
        ) from None
    except yaml.YAMLError as error:
        raise DefinitionError(file, 1, "", f"invalid YAML: {error}") from None
    if root is None:
        raise DefinitionError(file, 1, "", "the file is empty (expected a mapping of SOP fields)")
    return _Parser(file, known_units).definition(root)


class _Parser(NodeReader):
    def __init__(self, file: str, known_units: Collection[str] | None) -> None:
        super().__init__(file)
        self.known_units = known_units

    def key(self, node: Node, path: str) -> str:
        value = self.text(node, path, max_length=MAX_KEY)
        if not KEY_RE.match(value):
            self.fail(node, path, f"'{value}' is not a key (lower-case letters, digits, - and _)")
        return value

    def duration(self, node: Node, path: str) -> str:
        value = self.token(node, path, f"a duration ({DURATION_HINT})")
        try:
            parse_duration(value)
        except ValueError as error:
            self.fail(node, path, str(error))
        return value

    def number_with_unit(self, node: Node, path: str, kind: str) -> str:
        """A percentage (99.5%) or a number of seconds (2s), kept as written."""
        parse = parse_percent if kind == "percent" else parse_seconds
        value = self.token(
            node, path, "a percentage such as 99.5%" if kind == "percent" else "seconds such as 2s"
        )
        try:
            parse(value)
        except ValueError as error:
            self.fail(node, path, str(error))
        return value

    def time_standard(self, node: Node | None, path: str) -> str | None:
        """A step's Mutu Baku time; null where the SOP's table leaves it blank."""
        if node is None or node.tag == NULL:
            return None
        return self.duration(node, path)

    # Sections

    def definition(self, root: Node) -> Definition:
        top = self.mapping(root, "", _TOP_REQUIRED, _TOP_OPTIONAL)
        code = self.text(top["code"], "code", max_length=MAX_SOP_CODE)
        if not SOP_CODE_RE.match(code):
            self.fail(top["code"], "code", f"'{code}' is not an SOP number such as PR.33.8")
        unit = self.text(top["unit"], "unit", max_length=MAX_KEY)
        if self.known_units is not None and unit not in self.known_units:
            self.fail(
                top["unit"],
                "unit",
                f"unknown unit '{unit}' (units: {', '.join(sorted(self.known_units))})",
            )
        roles = self.roles(top["roles"])
        activities = self.items(top["activities"], "activities", self.activity)
        services = self.items(top["services"], "services", self.service)
        kpis = self.items(top["kpis"], "kpis", self.kpi)
        records = self.items(top["records"], "records", self.record)
        definition = Definition(
            code=code,
            version=self.text(top["version"], "version", required=False, max_length=MAX_VERSION),
            title=self.text(top["title"], "title", max_length=MAX_TITLE),
            unit=unit,
            approved_by=self.text(top["approved_by"], "approved_by", max_length=MAX_TITLE),
            effective=self.date(top["effective"], "effective"),
            purpose=self.texts(top["purpose"], "purpose", non_empty=True),
            scope=self.texts(top["scope"], "scope", non_empty=True),
            roles=roles,
            services=services,
            activities=activities,
            kpis=kpis,
            records=records,
            institution=self.text(top.get("institution"), "institution", required=False),
            warning=self.text(top.get("warning"), "warning", required=False),
            definitions=self.texts(top.get("definitions"), "definitions"),
            legal_basis=self.texts(top.get("legal_basis"), "legal_basis"),
            equipment=self.texts(top.get("equipment"), "equipment"),
            qualifications=self.texts(top.get("qualifications"), "qualifications"),
            related=self.texts(top.get("related"), "related"),
            linked_sops=self.texts(top.get("linked_sops"), "linked_sops"),
            supporting_documents=self.texts(
                top.get("supporting_documents"), "supporting_documents"
            ),
            requester_roles=self.texts(top.get("requester_roles"), "requester_roles"),
            owner=self.text(top.get("owner"), "owner", required=False, max_length=MAX_NAME),
            gaps=self.texts(top.get("gaps"), "gaps"),
        )
        self.check_gaps(definition)
        self.check_activities(definition)
        self.check_services(definition)
        self.check_kpis(definition)
        return definition

    def date(self, node: Node, path: str) -> date | None:
        """A date such as 2022-07-11, or null where the original's date was lost."""
        if node.tag == NULL:
            return None
        if not isinstance(node, ScalarNode) or node.tag not in (TIMESTAMP, STR):
            self.fail(node, path, f"expected a date such as 2022-07-11, found {kind_of(node)}")
        try:
            return date.fromisoformat(str(node.value).strip())
        except ValueError:
            self.fail(node, path, f"'{node.value}' is not a date such as 2022-07-11")

    def roles(self, node: Node) -> tuple[Role, ...]:
        """Roles are a mapping of key to the role's name in the SOP's words."""
        if not isinstance(node, MappingNode) or not node.value:
            self.fail(
                node, "roles", f"expected a mapping of role key to name, found {kind_of(node)}"
            )
        self.lines["roles"] = line_of(node)
        first_seen: dict[str, int] = {}
        roles = []
        for key_node, value_node in node.value:
            path = f"roles.{key_node.value}"
            key = self.key(key_node, path)
            if key in first_seen:
                self.fail(key_node, path, f"duplicate key (first at line {first_seen[key]})")
            first_seen[key] = line_of(key_node)
            roles.append(Role(key=key, name=self.text(value_node, path, max_length=MAX_NAME)))
        return tuple(roles)

    def activity(self, node: Node, path: str) -> Activity:
        fields = self.mapping(
            node,
            path,
            ("key", "actor", "description"),
            ("note", "requirements", "time_standard", "output", "next", "end"),
        )
        branches: tuple[Branch, ...] = ()
        if "next" in fields:
            branches = self.items(fields["next"], f"{path}.next", self.branch)
        return Activity(
            key=self.key(fields["key"], f"{path}.key"),
            actor=self.text(fields["actor"], f"{path}.actor", max_length=MAX_KEY),
            description=self.text(fields["description"], f"{path}.description"),
            note=self.text(fields.get("note"), f"{path}.note", required=False),
            requirements=self.text(
                fields.get("requirements"), f"{path}.requirements", required=False
            ),
            time_standard=self.time_standard(fields.get("time_standard"), f"{path}.time_standard"),
            output=self.text(
                fields.get("output"), f"{path}.output", required=False, max_length=MAX_OUTPUT
            ),
            next=branches,
            end=self.flag(fields.get("end"), f"{path}.end", False),
        )

    def branch(self, node: Node, path: str) -> Branch:
        fields = self.mapping(node, path, ("to",), ("when",))
        return Branch(
            to=self.text(fields["to"], f"{path}.to"),
            when=self.text(fields.get("when"), f"{path}.when", required=False),
        )

    def service(self, node: Node, path: str) -> Service:
        fields = self.mapping(
            node,
            path,
            ("key", "name", "first_response", "resolution"),
            ("description", "clock", "kpi", "activities", "fields", "acknowledge"),
        )
        custom_fields: tuple[Field, ...] = ()
        if "fields" in fields:
            custom_fields = self.items(fields["fields"], f"{path}.fields", self.field)
        kpi = self.text(fields.get("kpi"), f"{path}.kpi", required=False)
        return Service(
            key=self.key(fields["key"], f"{path}.key"),
            name=self.text(fields["name"], f"{path}.name", max_length=MAX_NAME),
            first_response=self.duration(fields["first_response"], f"{path}.first_response"),
            resolution=self.duration(fields["resolution"], f"{path}.resolution"),
            description=self.text(fields.get("description"), f"{path}.description", required=False),
            clock=self.choice(fields.get("clock"), f"{path}.clock", CLOCKS, "working"),
            kpi=kpi or None,
            activities=self.texts(fields.get("activities"), f"{path}.activities"),
            fields=custom_fields,
            acknowledge=self.flag(fields.get("acknowledge"), f"{path}.acknowledge", True),
        )

    def field(self, node: Node, path: str) -> Field:
        fields = self.mapping(node, path, ("key", "label"), ("type", "required", "choices"))
        kind = self.choice(fields.get("type"), f"{path}.type", FIELD_TYPES, "text")
        choices = self.texts(fields.get("choices"), f"{path}.choices")
        if kind == "choice" and not choices:
            self.fail(
                fields.get("choices", node), f"{path}.choices", "a choice field needs choices"
            )
        if kind != "choice" and choices:
            self.fail(
                fields["choices"], f"{path}.choices", f"only a choice field has choices, not {kind}"
            )
        return Field(
            key=self.key(fields["key"], f"{path}.key"),
            label=self.text(fields["label"], f"{path}.label", max_length=MAX_NAME),
            type=kind,
            required=self.flag(fields.get("required"), f"{path}.required", True),
            choices=choices,
        )

    def kpi(self, node: Node, path: str) -> Kpi:
        fields = self.mapping(node, path, ("code", "text", "measure", "target"))
        code = self.text(fields["code"], f"{path}.code", max_length=MAX_KPI_CODE)
        if not KPI_CODE_RE.match(code):
            self.fail(
                fields["code"], f"{path}.code", f"'{code}' is not a KPI code such as B.4.6.4.a"
            )
        measure = self.measure(fields["measure"], f"{path}.measure")
        target = self.text(fields["target"], f"{path}.target", max_length=MAX_TARGET)
        try:
            parsed = parse_target(target)
        except ValueError as error:
            self.fail(fields["target"], f"{path}.target", str(error))
        wanted = KNOWN_MEASURES[measure.name].target
        if parsed.kind != wanted:
            self.fail(
                fields["target"],
                f"{path}.target",
                f"'{target}' does not fit {measure.name}, which needs {TARGET_EXAMPLES[wanted]}",
            )
        return Kpi(
            code=code,
            text=self.text(fields["text"], f"{path}.text"),
            measure=measure,
            target=target,
        )

    def measure(self, node: Node, path: str) -> Measure:
        fields = self.mapping(node, path, ("name",), ("params",))
        name = self.text(fields["name"], f"{path}.name", max_length=MAX_KEY)
        spec = KNOWN_MEASURES.get(name)
        if spec is None:
            self.fail(
                fields["name"],
                f"{path}.name",
                f"unknown measure '{name}' (known: {', '.join(KNOWN_MEASURES)})",
            )
        params_path = f"{path}.params"
        given: dict[str, Node] = {}
        if "params" in fields:
            given = self.mapping(fields["params"], params_path, (), tuple(spec.params))
        elif spec.params:
            self.fail(
                node,
                params_path,
                f"required field is missing ({name} needs {', '.join(spec.params)})",
            )
        params: dict[str, Any] = {}
        for param, kind in spec.params.items():
            where = join_path(params_path, param)
            if param not in given:
                self.fail(
                    fields.get("params", node), where, f"required parameter of {name} is missing"
                )
            if kind == "duration":
                params[param] = self.duration(given[param], where)
            elif kind == "text":
                params[param] = self.text(given[param], where)
            elif kind == "texts":
                params[param] = list(self.texts(given[param], where, non_empty=True))
            elif kind in ("percent", "seconds"):
                params[param] = self.number_with_unit(given[param], where, kind)
            else:
                params[param] = self.choice(given[param], where, tuple(kind), "")
        return Measure(name=name, params=params)

    def record(self, node: Node, path: str) -> Record:
        fields = self.mapping(node, path, ("name", "form", "location", "retention"))
        retention = self.token(fields["retention"], f"{path}.retention", "a number of years (5y)")
        if not RETENTION_RE.match(retention):
            self.fail(
                fields["retention"],
                f"{path}.retention",
                f"'{retention}' is not a retention period (use years, e.g. 5y)",
            )
        return Record(
            name=self.text(fields["name"], f"{path}.name"),
            form=self.text(fields["form"], f"{path}.form"),
            location=self.text(fields["location"], f"{path}.location"),
            retention=retention,
        )

    # Checks across sections, once every field has been read and its line noted

    def fail_at(self, path: str, message: str) -> NoReturn:
        self.fail(self.lines[path], path, message)

    def unique(self, what: str, values: list[tuple[str, str]]) -> None:
        """Fail at the second of two equal values; ``values`` are (path, value) pairs."""
        first_at: dict[str, int] = {}
        for path, value in values:
            if value in first_at:
                self.fail_at(path, f"duplicate {what} '{value}' (first at line {first_at[value]})")
            first_at[value] = self.lines[path]

    def check_gaps(self, definition: Definition) -> None:
        """A gap names a part of the scope, so that it still reads true when the scope does."""
        scope = [item.casefold() for item in definition.scope]
        for i, gap in enumerate(definition.gaps):
            if not any(gap.casefold() in item for item in scope):
                self.fail_at(f"gaps[{i}]", f"'{gap}' is not part of any item of scope")

    def check_activities(self, definition: Definition) -> None:
        role_keys = [role.key for role in definition.roles]
        for i, role in enumerate(definition.requester_roles):
            if role not in role_keys:
                self.fail_at(
                    f"requester_roles[{i}]",
                    f"unknown role '{role}' (roles: {', '.join(role_keys)})",
                )
        activity_keys = [activity.key for activity in definition.activities]
        self.unique(
            "activity key",
            [(f"activities[{i}].key", key) for i, key in enumerate(activity_keys)],
        )
        for i, activity in enumerate(definition.activities):
            path = f"activities[{i}]"
            if activity.actor not in role_keys:
                self.fail_at(
                    f"{path}.actor",
                    f"unknown role '{activity.actor}' (roles: {', '.join(role_keys)})",
                )
            if activity.end and activity.next:
                self.fail_at(f"{path}.next", "a step with end: true has no next steps")
            if len(activity.next) > 1 and activity.actor in definition.requester_roles:
                # The requester's message completes their step: it has no choice to make.
                self.fail_at(f"{path}.next", "a step the requester performs cannot branch")
            for j, branch in enumerate(activity.next):
                where = f"{path}.next[{j}]"
                if branch.to not in activity_keys:
                    self.fail_at(
                        f"{where}.to",
                        f"unknown activity '{branch.to}' (activities: {', '.join(activity_keys)})",
                    )
                if len(activity.next) > 1 and not branch.when:
                    self.fail(
                        self.lines[where],
                        f"{where}.when",
                        "required when a step has more than one next step",
                    )

    def check_services(self, definition: Definition) -> None:
        activity_keys = [activity.key for activity in definition.activities]
        self.unique(
            "service key",
            [(f"services[{i}].key", service.key) for i, service in enumerate(definition.services)],
        )
        for i, service in enumerate(definition.services):
            path = f"services[{i}]"
            for j, key in enumerate(service.activities):
                where = f"{path}.activities[{j}]"
                if key not in activity_keys:
                    self.fail_at(
                        where, f"unknown activity '{key}' (activities: {', '.join(activity_keys)})"
                    )
                for branch in definition.activity(key).next:
                    if branch.to not in service.activities:
                        self.fail_at(
                            where, f"'{key}' leads to '{branch.to}', which this service lacks"
                        )
            self.unique(
                "activity",
                [(f"{path}.activities[{j}]", key) for j, key in enumerate(service.activities)],
            )
            self.unique(
                "field key",
                [(f"{path}.fields[{j}].key", field.key) for j, field in enumerate(service.fields)],
            )
            if service.kpi is not None:
                self.check_service_kpi(definition, service, path)

    def check_service_kpi(self, definition: Definition, service: Service, path: str) -> None:
        """The KPI a service names sets its time standard, so the two must agree."""
        kpi = next((kpi for kpi in definition.kpis if kpi.code == service.kpi), None)
        if kpi is None:
            codes = ", ".join(kpi.code for kpi in definition.kpis) or "none"
            self.fail_at(f"{path}.kpi", f"unknown KPI '{service.kpi}' (KPIs: {codes})")
        within = kpi.measure.params.get("within")
        if kpi.measure.name == "first_response_within":
            name, value = "first_response", service.first_response
        elif kpi.measure.name in ("resolved_within", "announced_within"):
            name, value = "resolution", service.resolution
        else:
            return
        if value != within:
            self.fail_at(
                f"{path}.{name}", f"'{value}' differs from {kpi.code}, which sets {within}"
            )

    def check_kpis(self, definition: Definition) -> None:
        self.unique(
            "KPI code", [(f"kpis[{i}].code", kpi.code) for i, kpi in enumerate(definition.kpis)]
        )
