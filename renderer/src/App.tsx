export function App() {
  return (
    <main>
      <h1>CarpDeck</h1>
    </main>
  );
}
