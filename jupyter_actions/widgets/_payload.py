"""The test payload editor: JSON text, quick fields kept in sync with it, and presets."""

from __future__ import annotations

import json
from typing import Any

import ipywidgets as widgets
import traitlets

from ._base import button
from ._fields import QuickField, fields_for, parse_json, presets_for
from ._html import error_line

SAMPLE = "sample payload"


def dumps(payload: Any) -> str:
    return json.dumps(payload, indent=2)


class PayloadEditor(widgets.VBox):
    """Edits one JSON payload. ``valid`` is False while the text does not parse; ``error``
    then says where (line and column)."""

    valid = traitlets.Bool(True)

    def __init__(self, sample: dict[str, Any]) -> None:
        self._sample = sample
        self._presets = {preset.name: preset for preset in presets_for(sample)}
        self.preset = widgets.Dropdown(options=[SAMPLE, *self._presets], value=SAMPLE, description="preset")
        self.apply_preset_button = button("Apply preset", self.apply_preset)
        self._quick = {field.label: field for field in fields_for(sample)}
        self.fields: dict[str, widgets.Text] = {}
        for field in self._quick.values():
            text = widgets.Text(description=field.label, continuous_update=False, style={"description_width": "9em"})
            text.observe(lambda change, field=field: self._field_changed(field, change.new), names="value")
            self.fields[field.label] = text
        self.json = widgets.Textarea(value=dumps(sample), rows=18, layout=widgets.Layout(width="100%"))
        self.json.observe(lambda change: self._json_changed(), names="value")
        self.error = widgets.HTML()
        self._syncing = False
        self._show_fields(sample)
        super().__init__(
            [
                widgets.HBox([self.preset, self.apply_preset_button]),
                widgets.GridBox(
                    list(self.fields.values()), layout=widgets.Layout(grid_template_columns="repeat(2, 50%)")
                ),
                self.json,
                self.error,
            ]
        )

    def parsed(self) -> Any:
        """The payload as JSON data; ValueError with the line and column when it does not parse."""
        return parse_json(self.json.value, "the payload")

    def set_payload(self, payload: Any) -> None:
        self.json.value = dumps(payload)

    def apply_preset(self) -> None:
        """Apply the chosen preset to the payload in the editor (the sample resets it)."""
        if self.preset.value == SAMPLE:
            self.set_payload(self._sample)
            return
        payload = self._current_object()
        if payload is not None:
            self.set_payload(self._presets[self.preset.value].apply(payload))

    def _current_object(self) -> dict[str, Any] | None:
        try:
            payload = self.parsed()
        except ValueError as exc:
            self.error.value = error_line(f"{exc} (fix the JSON first)")
            return None
        if not isinstance(payload, dict):
            self.error.value = error_line("the payload must be a JSON object (fix the JSON first)")
            return None
        return payload

    def _json_changed(self) -> None:
        try:
            payload = self.parsed()
        except ValueError as exc:
            self.valid = False
            self.error.value = error_line(str(exc))
            return
        self.valid = True
        self.error.value = ""
        self._show_fields(payload)

    def _show_fields(self, payload: Any) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            for label, text in self.fields.items():
                text.value = self._quick[label].format(payload)
        finally:
            self._syncing = False

    def _field_changed(self, field: QuickField, text: str) -> None:
        if self._syncing:
            return
        payload = self._current_object()
        if payload is None:
            return
        try:
            field.write_into(payload, text)
        except ValueError as exc:
            self.error.value = error_line(f"{exc} (the payload is unchanged)")
            return
        self._syncing = True
        try:
            self.set_payload(payload)
        finally:
            self._syncing = False
