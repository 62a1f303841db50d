#!/usr/bin/env bash
# tests/manual/wordpress-importer.sh: does WordPress' own importer accept Gazette's export?
# A local check, not for CI: it installs Debian's `wordpress`, `mariadb-server`, `php-cli`
# and downloads nothing else except WP-CLI and the wordpress-importer plugin from
# wordpress.org, so run it on a throwaway machine or container as root.
#   tests/manual/wordpress-importer.sh SITE_DIR
# Exit 0 when the import ran and WordPress holds as many posts and comments as the site.
set -euo pipefail
site=${1:?usage: $0 SITE_DIR}
here=$(cd "$(dirname "$0")/../.." && pwd)
apt-get install -y -qq wordpress mariadb-server php-cli php-mysql php-xml curl >/dev/null
service mariadb start
mysql -e "CREATE DATABASE IF NOT EXISTS wp_gz; CREATE USER IF NOT EXISTS 'wp'@'localhost' IDENTIFIED BY 'wp';
          GRANT ALL ON wp_gz.* TO 'wp'@'localhost';"
wp=/tmp/wp-cli.phar
[ -f "$wp" ] || curl -sSLo "$wp" https://raw.githubusercontent.com/wp-cli/builds/gh-pages/phar/wp-cli.phar
root=/tmp/wp-gz
rm -rf "$root" && cp -r /usr/share/wordpress "$root"
php "$wp" --allow-root --path="$root" config create --dbname=wp_gz --dbuser=wp --dbpass=wp --skip-check --force
php "$wp" --allow-root --path="$root" db reset --yes
php "$wp" --allow-root --path="$root" core install --url=http://127.0.0.1:8099 --title=gz \
	--admin_user=admin --admin_password=admin --admin_email=admin@example.com --skip-email
php "$wp" --allow-root --path="$root" plugin install wordpress-importer --activate
"$here/gazette" export wordpress --site "$site" > /tmp/gz-export.xml
php "$wp" --allow-root --path="$root" import /tmp/gz-export.xml --authors=create
posts=$(php "$wp" --allow-root --path="$root" post list --post_type=post --post_status=any --format=count)
comments=$(php "$wp" --allow-root --path="$root" comment list --status=approve --format=count)
want_posts=$(sqlite3 "$site/gazette.db" 'SELECT count(*) FROM stories')
want_comments=$(sqlite3 "$site/gazette.db" "SELECT count(*) FROM comments WHERE status = 1")
echo "WordPress: $posts posts, $comments comments; Gazette: $want_posts stories, $want_comments comments"
[ "$posts" -eq "$want_posts" ] && [ "$comments" -eq "$want_comments" ]
