"""What every panel shares: a message line for refusals, and a confirmation step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets

from ..errors import ActionsError
from ._html import error_line, info_line

FAILED = object()  # what `Panel.call` returns when the tenant refused


class Panel(widgets.VBox):
    """A VBox with a ``message`` line; `call` runs a Tenant method and shows a refusal there.

    The tenant's refusals (`ActionsError`) are the panel's business: the user sees
    ``str(error)``, one line. Anything else is a bug and propagates.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.message = widgets.HTML()

    def call(self, method: Callable[..., Any], *args: Any, busy: str = "", **kwargs: Any) -> Any:
        """``method(*args, **kwargs)``, or FAILED after showing the refusal. ``busy`` is shown
        while it runs (the frontend gets it before the kernel blocks)."""
        self.message.value = info_line(busy) if busy else ""
        try:
            result = method(*args, **kwargs)
        except ActionsError as error:
            self.show_error(str(error))
            return FAILED
        self.message.value = ""
        return result

    def show_error(self, text: str) -> None:
        self.message.value = error_line(text)

    def show_info(self, text: str) -> None:
        self.message.value = info_line(text)

    def summary(self) -> str:
        """Plain text shown where widgets cannot render (papermill output, nbconvert)."""
        return type(self).__name__

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return {**super()._repr_mimebundle_(**kwargs), "text/plain": self.summary()}


def set_options(dropdown: widgets.Dropdown, options: Sequence[Any], default: Any = None) -> None:
    """Replace the options and keep the chosen value if it is still offered, else ``default``,
    else the first (ipywidgets itself jumps to the first, or to nothing from an empty list)."""
    previous = dropdown.value
    dropdown.options = options
    values = [option[1] if isinstance(option, tuple) else option for option in options]
    dropdown.value = next(
        (v for v in (previous, default) if v is not None and v in values), values[0] if values else None
    )


def button(description: str, on_click: Callable[[], Any], **kwargs: Any) -> widgets.Button:
    """A button whose handler takes no argument (the clicked widget is never needed), as wide
    as its label."""
    kwargs.setdefault("layout", widgets.Layout(width="auto", min_width="6em"))
    created = widgets.Button(description=description, **kwargs)
    created.on_click(lambda _button: on_click())
    return created


class Confirmation(widgets.HBox):
    """A step that waits for Confirm or Cancel; hidden until `ask` is called."""

    def __init__(self) -> None:
        self.question = widgets.HTML()
        self.confirm_button = button("Confirm", self.confirm, button_style="danger")
        self.cancel_button = button("Cancel", self.cancel)
        super().__init__(
            [self.question, self.confirm_button, self.cancel_button], layout=widgets.Layout(display="none")
        )
        self._pending: Callable[[], Any] | None = None

    @property
    def waiting(self) -> bool:
        return self._pending is not None

    def ask(self, question: str, then: Callable[[], Any]) -> None:
        self.question.value = info_line(question)
        self._pending = then
        self.layout.display = "flex"

    def confirm(self) -> None:
        pending = self._pending
        self.cancel()
        if pending is not None:
            pending()

    def cancel(self) -> None:
        self._pending = None
        self.question.value = ""
        self.layout.display = "none"
