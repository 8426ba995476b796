<?php
/*
 * Stock WordPress (Debian's package) given the same content as Paddock's benchmark site, for
 * bench/http_load.py. Run twice with PHP's command line, as the benchmark does:
 *
 *   php wp_site.php install SITE.json   # wp_install(): the tables, the admin, the defaults
 *   php wp_site.php content SITE.json   # theme, permalinks, posts, comments
 *   php wp_site.php queries SITE.json PATH   # the SQL statements of one page view
 *
 * SITE.json (written by bench/http/wordpress.py) gives the host and the Debian configuration
 * name (/etc/wordpress/config-<name>.php, chosen by WORDPRESS_CONFIG as nginx passes it), the
 * categories, the posts (title, excerpt, HTML content, categories, tags, days ago) and the
 * comments of each post (author, text, index of the parent in the same list or -1).
 * Everything goes through WordPress's own functions (wp_install, switch_theme,
 * wp_insert_post, wp_insert_comment), as its admin would write it. Prints one JSON line.
 */

if ($argc < 3) {
    fwrite(STDERR, "usage: php wp_site.php install|content SITE.json\n");
    exit(2);
}
$mode = $argv[1];
$site = json_decode(file_get_contents($argv[2]), true);

// What a web request gives the Debian wp-config.php to choose the configuration.
$_SERVER['HTTP_HOST'] = $site['host'];
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['WORDPRESS_CONFIG'] = $site['config'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';

if ($mode === 'queries') {
    // The SQL statements of one anonymous page view ($argv[3], a path), as a request through
    // PHP-FPM runs them: WordPress's front controller with SAVEQUERIES on.
    define('SAVEQUERIES', true);
    define('WP_USE_THEMES', true);  // as index.php has it
    $_SERVER['REQUEST_URI'] = $argv[3];
    ob_start();
    require $site['abspath'] . 'wp-blog-header.php';
    $html = ob_get_clean();
    global $wpdb;
    echo json_encode(['queries' => count($wpdb->queries), 'bytes' => strlen($html)]), "\n";
    exit(0);
}

if ($mode === 'install') {
    define('WP_INSTALLING', true);
    require $site['abspath'] . 'wp-load.php';
    require_once ABSPATH . 'wp-admin/includes/upgrade.php';
    $result = wp_install(
        $site['title'],
        'admin',
        'admin@example.com',
        true,
        '',
        wp_generate_password(24)
    );
    echo json_encode(['installed' => true, 'user_id' => $result['user_id']]), "\n";
    exit(0);
}

require $site['abspath'] . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

// Twenty Twenty-One, and the default widgets in its sidebar (the footer widget area): search,
// recent posts and recent comments, as wp_install_defaults() placed them.
switch_theme('twentytwentyone');
$widgets = get_option('sidebars_widgets');
if (empty($widgets['sidebar-1'])) {
    fwrite(STDERR, "wp_install left no widgets in sidebar-1\n");
    exit(1);
}

// Pretty permalinks.
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');
$wp_rewrite->flush_rules(false);

// The sample post and its comment: the bench writes its own posts.
wp_delete_post(1, true);

$categories = [];
foreach ($site['categories'] as $slug => $name) {
    $term = wp_insert_term($name, 'category', ['slug' => $slug]);
    if (is_wp_error($term)) {
        fwrite(STDERR, $term->get_error_message() . "\n");
        exit(1);
    }
    $categories[$slug] = $term['term_id'];
}

$now = time();
$out = ['posts' => []];
foreach ($site['posts'] as $post) {
    $when = $now - (int) round($post['days_ago'] * 86400);
    $id = wp_insert_post([
        'post_title' => $post['title'],
        'post_name' => $post['slug'],
        'post_excerpt' => $post['excerpt'],
        'post_content' => $post['content'],
        'post_status' => 'publish',
        'post_author' => 1,
        'post_date' => wp_date('Y-m-d H:i:s', $when),
        'post_date_gmt' => gmdate('Y-m-d H:i:s', $when),
        'post_category' => array_map(fn($slug) => $categories[$slug], $post['categories']),
        'tags_input' => $post['tags'],
    ], true);
    if (is_wp_error($id)) {
        fwrite(STDERR, $id->get_error_message() . "\n");
        exit(1);
    }
    $ids = [];
    $count = count($post['comments']);
    foreach ($post['comments'] as $n => $comment) {
        // Spread over the time since the post went up, oldest first.
        $at = $when + (int) (($now - $when - 60) * ($n + 1) / ($count + 1));
        $comment_id = wp_insert_comment([
            'comment_post_ID' => $id,
            'comment_author' => $comment['author'],
            'comment_author_email' => $comment['email'],
            'comment_author_IP' => '127.0.0.1',
            'comment_content' => $comment['text'],
            'comment_parent' => $comment['parent'] >= 0 ? $ids[$comment['parent']] : 0,
            'comment_approved' => 1,
            'comment_date' => wp_date('Y-m-d H:i:s', $at),
            'comment_date_gmt' => gmdate('Y-m-d H:i:s', $at),
        ]);
        if (!$comment_id) {
            fwrite(STDERR, "wp_insert_comment failed on post $id\n");
            exit(1);
        }
        $ids[] = $comment_id;
    }
    $out['posts'][$post['slug']] = [
        'id' => $id,
        'url' => wp_make_link_relative(get_permalink($id)),
        'comments' => (int) get_comments_number($id),
    ];
}
$out['theme'] = get_stylesheet();
$out['permalinks'] = get_option('permalink_structure');
$out['version'] = get_bloginfo('version');
echo json_encode($out), "\n";
