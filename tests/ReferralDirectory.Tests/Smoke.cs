public class Smoke { [Test] public void Runs() => Assert.That(1, Is.EqualTo(1)); }
