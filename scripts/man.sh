#!/bin/sh
# Writes the man pages gazette(1) and gazette.conf(5) (man(7) macros) into
# OUTDIR from what the binary itself says: `gazette --help` for the commands,
# each `gazette COMMAND --help` for its options (kept as written, in a
# no-fill block), and the gazette.conf that `gazette init` writes for the
# settings (every key of src/site/config.c's table with its help and
# default). Run by `make man` and `make install`, so the pages follow the
# code; tests/integration/install.test.js checks they cover it and lint
# clean.
#   usage: scripts/man.sh ./gazette OUTDIR
set -eu
bin=$1
out=$2
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Text as roff: backslashes shown as such, '-' an ASCII minus (options can
# be copied), no line starting with a control character.
roff() {
	sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
}

# The commands: the lines of `gazette --help` between "commands:" and the
# blank line after them, "  NAME  SUMMARY".
"$bin" --help > "$tmp/help"
sed -n '/^commands:$/,/^$/p' "$tmp/help" | sed -n 's/^  \([a-z][a-z-]*\)  *\(.*\)$/\1 \2/p' \
	> "$tmp/commands"
[ -s "$tmp/commands" ] || { echo "man.sh: no commands in \`$bin --help\`" >&2; exit 1; }
tagline=$(sed -n '3p' "$tmp/help" | sed 's/^Gazette: //; s/\.$//')

{
	cat <<EOF
.TH GAZETTE 1 "" "Gazette" "Gazette Manual"
.SH NAME
gazette \\- $(printf '%s\n' "$tagline" | roff)
.SH SYNOPSIS
.B gazette
.I COMMAND
.RI [ OPTIONS ]
.br
.B gazette \\-\\-help
.br
.B gazette \\-\\-version
.br
.B gazette
.I COMMAND
.B \\-\\-help
.SH DESCRIPTION
Gazette runs a news site from one binary: a site is a folder holding
.I gazette.db
(SQLite),
.I media/
and
.IR gazette.conf ,
made by
.B gazette init
and served by
.BR "gazette serve" .
Every command but
.B init
works on an existing site named with
.BR \\-\\-site .
Commands exit with 0 on success, 1 on failure and 2 on a usage error.
.SH COMMANDS
EOF
	while read -r name summary; do
		printf '.SS "gazette %s"\n' "$name"
		printf '%s\n' "$summary" | roff
		"$bin" "$name" --help > "$tmp/cmd" || {
			echo "man.sh: \`$bin $name --help\` failed" >&2; exit 1; }
		printf '.PP\n.RS 4\n.nf\n'
		roff < "$tmp/cmd" | sed 's/^$/.sp/'
		printf '.fi\n.RE\n'
	done < "$tmp/commands"
	cat <<'EOF'
.SH ENVIRONMENT
.TP
.B GAZETTE_DATA
the folder holding
.I themes/default
and
.I demo
(default: beside the binary, then
.I ../share/gazette
from it, then the DATADIR it was built with).
.TP
.B GAZETTE_SECCOMP_TRAP
1: a system call the server's filter refuses prints its number instead of
failing quietly (for debugging the filter).
.SH FILES
.TP
.I SITE/gazette.conf
the site's settings, see
.BR gazette.conf (5).
.TP
.I SITE/gazette.db
the database (SQLite, WAL mode).
.TP
.I SITE/media/
pictures, audio and video of the media library.
.TP
.I SITE/theme/
files overriding the default theme's, one by one.
.TP
.I /var/lib/gazette
the site the systemd unit
.I gazette.service
serves.
.SH SEE ALSO
.BR gazette.conf (5),
.BR systemd.exec (5)
EOF
} > "$out/gazette.1"

# The settings: the commented gazette.conf of a new site, "# HELP" then
# "KEY = DEFAULT" for every key.
"$bin" init --site "$tmp/site" > /dev/null
conf="$tmp/site/gazette.conf"
grep -q '^[a-z_]* = ' "$conf" || { echo "man.sh: no settings in $conf" >&2; exit 1; }
{
	cat <<'EOF'
.TH GAZETTE.CONF 5 "" "Gazette" "Gazette Manual"
.SH NAME
gazette.conf \- the settings of a Gazette site
.SH SYNOPSIS
.I SITE/gazette.conf
.SH DESCRIPTION
One setting a line,
.IR "key " = " value" ;
blank lines and lines starting with
.B #
are ignored, and spaces around the key and the value are trimmed.
.B gazette init
writes every key with its default and a comment saying what it does.
An unknown key or a value out of its bounds stops
.B gazette serve
with the file's name and the line's number.
Restart the server (or reload it, where a setting allows) after a change.
.SH SETTINGS
EOF
	# keys have neither '-' nor '\', so the file is escaped whole first;
	# "\&" keeps a help or a value starting with '.' from reading as a macro
	roff < "$conf" | awk '
		/^# / { help = substr($0, 3); next }
		/^[a-z_]+ =/ {
			val = $0; sub(/^[a-z_]+ =[ ]?/, "", val)
			print ".TP\n.B " $1 "\n\\&" help "\n.br"
			print (val == "" ? "Default: empty." : "Default: \\&" val)
		}'
	cat <<'EOF'
.SH SEE ALSO
.BR gazette (1)
EOF
} > "$out/gazette.conf.5"
