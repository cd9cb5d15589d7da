<?php
declare(strict_types=1);

namespace Bench;

/** A small router with named parameters, for the render benchmark. */
final class Router
{
    /** @var array<string, array<int, array{string, callable}>> */
    private array $routes = [];

    public function add(string $method, string $pattern, callable $handler): self
    {
        $regex = '#^' . preg_replace('#\{(\w+)\}#', '(?P<$1>[^/]+)', $pattern) . '$#';
        $this->routes[strtoupper($method)][] = [$regex, $handler];
        return $this;
    }

    public function dispatch(string $method, string $path): string
    {
        foreach ($this->routes[strtoupper($method)] ?? [] as [$regex, $handler]) {
            if (preg_match($regex, $path, $matches) === 1) {
                $params = array_filter($matches, 'is_string', ARRAY_FILTER_USE_KEY);
                return (string) $handler(...$params);
            }
        }
        http_response_code(404);
        return "not found: {$path}";
    }
}

$router = (new Router())
    ->add('GET', '/', fn () => 'home')
    ->add('GET', '/users/{id}', function (string $id): string {
        return sprintf('user #%d', (int) $id);
    })
    ->add('POST', '/users/{id}/posts/{slug}', static fn (string $id, string $slug) => "post {$slug} of {$id}");

echo $router->dispatch('GET', '/users/42'), PHP_EOL;
echo $router->dispatch($_SERVER['REQUEST_METHOD'] ?? 'GET', $_SERVER['REQUEST_URI'] ?? '/'), PHP_EOL;
?>
<p>Rendered at <?= htmlspecialchars(date('c'), ENT_QUOTES) ?></p>
