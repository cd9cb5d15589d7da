// An LRU cache template, for the render benchmark.
#include <iostream>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

template <typename K, typename V>
class LruCache {
public:
    explicit LruCache(std::size_t capacity) : capacity_(capacity) {}

    std::optional<V> get(const K& key) {
        auto it = index_.find(key);
        if (it == index_.end()) {
            return std::nullopt;
        }
        order_.splice(order_.begin(), order_, it->second);
        return it->second->second;
    }

    void put(const K& key, V value) {
        if (auto it = index_.find(key); it != index_.end()) {
            it->second->second = std::move(value);
            order_.splice(order_.begin(), order_, it->second);
            return;
        }
        if (order_.size() == capacity_) {
            index_.erase(order_.back().first);
            order_.pop_back();
        }
        order_.emplace_front(key, std::move(value));
        index_[key] = order_.begin();
    }

    [[nodiscard]] std::size_t size() const noexcept { return order_.size(); }

private:
    using Node = std::pair<K, V>;
    std::size_t capacity_;
    std::list<Node> order_;
    std::unordered_map<K, typename std::list<Node>::iterator> index_;
};

int main() {
    LruCache<std::string, int> cache(2);
    cache.put("one", 1);
    cache.put("two", 2);
    cache.get("one");
    cache.put("three", 3);  // evicts "two"
    for (const auto* key : {"one", "two", "three"}) {
        auto v = cache.get(key);
        std::cout << key << ": " << (v ? std::to_string(*v) : "missing") << '\n';
    }
    static_assert(sizeof(int) >= 4, "int is at least 32 bits");
    return 0;
}
