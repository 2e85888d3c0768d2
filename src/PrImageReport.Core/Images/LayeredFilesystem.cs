namespace PrImageReport.Core.Images;

/// <summary>
/// Stacks layers the way overlayfs and Docker's layer extraction do: a layer's whiteouts act on the layers
/// below it, then its entries are placed on top; a non-directory replaces whatever was at its path, subtree included.
/// </summary>
internal sealed class LayeredFilesystem
{
    private readonly Node _root = Node.Directory();
    private readonly Dictionary<string, string> _packageDatabases = new(StringComparer.Ordinal);

    /// <summary>Content of the package database files present in the filesystem built so far.</summary>
    public IReadOnlyDictionary<string, string> PackageDatabases => _packageDatabases;

    /// <param name="reference">The manifest's name for the layer, which may be a link to where the archive stores it.</param>
    public LayerChanges Apply(string reference, LayerContents layer)
    {
        long added = 0, overwritten = 0, deleted = 0;
        foreach (var entry in layer.Entries)
        {
            if (entry.Kind == LayerEntryKind.Whiteout)
            {
                deleted += Remove(entry.Path);
            }
            else if (entry.Kind == LayerEntryKind.OpaqueDirectory && Find(entry.Path) is { Children: { } children } directory)
            {
                deleted += StoredBytes(directory);
                children.Clear();
                ForgetPackageDatabases(entry.Path, includeSelf: false);
            }
        }

        foreach (var entry in layer.Entries)
        {
            if (entry.Kind is LayerEntryKind.Whiteout or LayerEntryKind.OpaqueDirectory)
            {
                continue;
            }

            var (parent, name, replacedParentBytes) = ParentOf(entry.Path);
            overwritten += replacedParentBytes;
            parent.Children!.TryGetValue(name, out var existing);
            if (entry.Kind == LayerEntryKind.Directory && existing?.Children is not null)
            {
                continue;
            }

            if (existing is not null)
            {
                overwritten += StoredBytes(existing);
                ForgetPackageDatabases(entry.Path, includeSelf: true);
            }

            parent.Children[name] = Create(entry, layer);
            if (entry.Kind == LayerEntryKind.File)
            {
                added += entry.Size;
            }
        }

        return new LayerChanges(reference, layer.Entries.Count, added, overwritten, deleted);
    }

    public IReadOnlyDictionary<string, ImageFile> Files()
    {
        var files = new Dictionary<string, ImageFile>(StringComparer.Ordinal);
        var pending = new Stack<(string Path, Node Node)>();
        pending.Push(("", _root));
        while (pending.TryPop(out var current))
        {
            foreach (var (name, child) in current.Node.Children!)
            {
                var path = $"{current.Path}/{name}";
                files[path] = new ImageFile(path, child.Kind, child.Size, child.LinkTarget);
                if (child.Children is not null)
                {
                    pending.Push((path, child));
                }
            }
        }

        return files;
    }

    private Node Create(LayerEntry entry, LayerContents layer)
    {
        switch (entry.Kind)
        {
            case LayerEntryKind.Directory:
                return Node.Directory();
            case LayerEntryKind.File:
                if (layer.PackageDatabases.TryGetValue(entry.Path, out var content))
                {
                    _packageDatabases[entry.Path] = content;
                }

                return new Node(FileKind.File, entry.Size, null);
            case LayerEntryKind.HardLink:
                // The link is a file of its own: it keeps the content even if its target is deleted later.
                var target = entry.LinkTarget is null ? null : Find(entry.LinkTarget);
                if (entry.LinkTarget is not null
                    && Images.PackageDatabases.IsDatabase(entry.Path)
                    && _packageDatabases.TryGetValue(entry.LinkTarget, out var linked))
                {
                    _packageDatabases[entry.Path] = linked;
                }

                return new Node(FileKind.HardLink, target?.Kind is FileKind.File or FileKind.HardLink ? target.Size : 0, entry.LinkTarget);
            case LayerEntryKind.Symlink:
                return new Node(FileKind.Symlink, 0, entry.LinkTarget);
            default:
                return new Node(FileKind.Other, 0, null);
        }
    }

    /// <summary>The directory that holds <paramref name="path"/>, creating missing parents and replacing non-directories in the way.</summary>
    private (Node Parent, string Name, long ReplacedBytes) ParentOf(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = _root;
        long replaced = 0;
        var walked = "";
        foreach (var segment in segments[..^1])
        {
            walked = $"{walked}/{segment}";
            if (!current.Children!.TryGetValue(segment, out var next) || next.Children is null)
            {
                if (next is not null)
                {
                    replaced += StoredBytes(next);
                    ForgetPackageDatabases(walked, includeSelf: true);
                }

                next = Node.Directory();
                current.Children[segment] = next;
            }

            current = next;
        }

        return (current, segments[^1], replaced);
    }

    private Node? Find(string path)
    {
        var current = _root;
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.Children is null || !current.Children.TryGetValue(segment, out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    /// <summary>Deletes <paramref name="path"/> and everything under it; returns the bytes that no longer show.</summary>
    private long Remove(string path)
    {
        var slash = path.LastIndexOf('/');
        var parent = slash == 0 ? _root : Find(path[..slash]);
        if (parent?.Children is null || !parent.Children.Remove(path[(slash + 1)..], out var removed))
        {
            return 0;
        }

        ForgetPackageDatabases(path, includeSelf: true);
        return StoredBytes(removed);
    }

    private void ForgetPackageDatabases(string path, bool includeSelf)
    {
        var prefix = path + "/";
        foreach (var database in _packageDatabases.Keys.ToList())
        {
            if ((includeSelf && database == path) || database.StartsWith(prefix, StringComparison.Ordinal))
            {
                _packageDatabases.Remove(database);
            }
        }
    }

    /// <summary>Bytes a node's layers actually store: hard links share their target's bytes, so they count none.</summary>
    private static long StoredBytes(Node node)
    {
        if (node.Children is null)
        {
            return node.Kind == FileKind.File ? node.Size : 0;
        }

        long total = 0;
        var pending = new Stack<Node>();
        pending.Push(node);
        while (pending.TryPop(out var current))
        {
            foreach (var child in current.Children!.Values)
            {
                if (child.Children is not null)
                {
                    pending.Push(child);
                }
                else if (child.Kind == FileKind.File)
                {
                    total += child.Size;
                }
            }
        }

        return total;
    }

    private sealed class Node(FileKind kind, long size, string? linkTarget)
    {
        public FileKind Kind { get; } = kind;

        public long Size { get; } = size;

        public string? LinkTarget { get; } = linkTarget;

        /// <summary>Set for directories only.</summary>
        public Dictionary<string, Node>? Children { get; private init; }

        public static Node Directory() => new(FileKind.Directory, 0, null) { Children = new(StringComparer.Ordinal) };
    }
}
