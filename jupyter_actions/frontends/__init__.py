"""What the front ends share: the command table (`commands`), the text presenter (`present`)
and the wording of remedies (`hints`). Standard library only, and nothing of a front end."""
