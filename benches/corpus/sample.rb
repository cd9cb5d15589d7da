# A tiny template engine, for the render benchmark.
require 'cgi'
require 'json'

module Tiny
  class Template
    TAG = /\{\{\s*(?<raw>&)?\s*(?<name>[\w.]+)\s*\}\}/

    attr_reader :source

    def initialize(source)
      @source = source.freeze
    end

    def render(context = {})
      source.gsub(TAG) do
        match = Regexp.last_match
        value = lookup(context, match[:name])
        match[:raw] ? value.to_s : CGI.escapeHTML(value.to_s)
      end
    end

    private

    def lookup(context, path)
      path.split('.').reduce(context) do |scope, key|
        case scope
        when Hash then scope[key] || scope[key.to_sym]
        when Array then scope[Integer(key)] rescue nil
        else scope.respond_to?(key) ? scope.public_send(key) : nil
        end
      end
    end
  end
end

if $PROGRAM_NAME == __FILE__
  page = Tiny::Template.new(<<~HTML)
    <h1>{{ title }}</h1>
    <p>By {{ author.name }} &mdash; {{& footer }}</p>
  HTML
  data = { title: 'Fish & Chips', author: { name: 'Ann' }, footer: '<em>fin</em>' }
  puts page.render(data)
  puts JSON.pretty_generate(data)
  %w[a b c].each_with_index { |x, i| puts "#{i}: #{x * (i + 1)}" }
end
